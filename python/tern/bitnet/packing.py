"""Hugging Face BitNet 2-bit packing (transformers src/transformers/integrations/bitnet.py).

A ternary weight W[out, in] with values in {-1, 0, 1} is stored as uint8 [out/4, in].
With R = out/4, byte [r, c] holds rows r (bits 1:0), r+R (bits 3:2), r+2R (bits 5:4)
and r+3R (bits 7:6) of column c; each 2-bit code is w + 1, so w = ((b >> 2i) & 3) - 1.
"""
import numpy as np

__all__ = ["pack_ternary", "unpack_ternary"]


def pack_ternary(w):
    """int [out, in] in {-1,0,1} -> uint8 [out/4, in]. out must be a multiple of 4."""
    w = np.asarray(w)
    if w.ndim != 2:
        raise ValueError(f"pack_ternary: expected a 2-D matrix, got shape {w.shape}")
    out, _ = w.shape
    if out % 4:
        raise ValueError(f"pack_ternary: out dimension {out} is not a multiple of 4")
    if w.size and (w.min() < -1 or w.max() > 1):
        raise ValueError("pack_ternary: values outside {-1, 0, 1}")
    r = out // 4
    codes = (w.astype(np.int16) + 1).astype(np.uint8)
    packed = np.zeros((r, w.shape[1]), dtype=np.uint8)
    for i in range(4):
        packed |= codes[i * r:(i + 1) * r] << np.uint8(2 * i)
    return packed


def unpack_ternary(packed, out=None):
    """uint8 [out/4, in] -> int8 [out, in]. A code of 3 unpacks to +2 (never written)."""
    p = np.asarray(packed)
    if p.dtype != np.uint8 or p.ndim != 2:
        raise ValueError(f"unpack_ternary: expected a 2-D uint8 array, got {p.dtype}{list(p.shape)}")
    r = p.shape[0]
    if out is not None and out != 4 * r:
        raise ValueError(f"unpack_ternary: packed rows {r} * 4 != out {out}")
    parts = [((p >> np.uint8(2 * i)) & np.uint8(3)).astype(np.int8) - np.int8(1) for i in range(4)]
    return np.concatenate(parts, axis=0)
