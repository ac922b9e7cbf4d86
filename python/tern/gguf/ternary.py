"""TQ2_0 and TQ1_0 (llama.cpp's ternary block types) written from their
layout, numpy only, and registered with GGUFWriter.

Both hold 256 weights a block with one float16 scale d (the block's absmax);
value = code - 1 with codes 0, 1, 2, and weight = value * d.
  TQ2_0 (66 bytes): qs[64], d. For j in {0, 32}, byte qs[j + m] holds the
    codes of weights 4j + 32n + m in bits 2n (n = 0..3).
  TQ1_0 (54 bytes): qs[48], qh[4], d. Five codes a byte as a base-3 number
    (the first most significant) scaled to a byte: (v * 256 + 242) // 243.
    qs[m] (m < 32) holds weights m + 32n (n = 0..4); qs[32 + m] weights
    160 + m + 16n; qh[m] four codes, weights 240 + m + 4n (a fifth digit 0).
Sources: llama.cpp ggml-common.h (block_tq1_0, block_tq2_0) and
ggml-quants.c; ../shared/FORMATS.md.
"""
import numpy as np

from .writer import TensorType, register_tensor_type

QK = 256


def _blocks(a):
    x = np.ascontiguousarray(a, dtype=np.float32).reshape(-1, QK)
    d = np.abs(x).max(axis=1)
    safe = np.where(d > 0, d, 1.0).astype(np.float32)
    codes = (np.clip(np.rint(x / safe[:, None]), -1, 1) + 1).astype(np.uint16)
    return codes, d.astype("<f2")


def encode_tq2_0(a):
    codes, d = _blocks(a)
    nb = codes.shape[0]
    out = np.zeros((nb, 66), np.uint8)
    for j in (0, 32):
        part = codes[:, 4 * j:4 * j + 128].reshape(nb, 4, 32)  # [block, n, m]
        byte = np.zeros((nb, 32), np.uint16)
        for n in range(4):
            byte |= part[:, n, :] << (2 * n)
        out[:, j:j + 32] = byte.astype(np.uint8)
    out[:, 64:66] = d.view(np.uint8).reshape(nb, 2)
    return out.tobytes()


def _pack(digits):
    """Base-3 digits [..., k] (k <= 5, first most significant, padded to 5
    with zeros) to bytes."""
    v = np.zeros(digits.shape[:-1], np.uint32)
    for n in range(5):
        v = v * 3 + (digits[..., n] if n < digits.shape[-1] else 0)
    return ((v * 256 + 242) // 243).astype(np.uint8)


def encode_tq1_0(a):
    codes, d = _blocks(a)
    nb = codes.shape[0]
    out = np.zeros((nb, 54), np.uint8)
    out[:, 0:32] = _pack(codes[:, 0:160].reshape(nb, 5, 32).transpose(0, 2, 1))
    out[:, 32:48] = _pack(codes[:, 160:240].reshape(nb, 5, 16).transpose(0, 2, 1))
    out[:, 48:52] = _pack(codes[:, 240:256].reshape(nb, 4, 4).transpose(0, 2, 1))
    out[:, 52:54] = d.view(np.uint8).reshape(nb, 2)
    return out.tobytes()


TQ1_0 = register_tensor_type(TensorType("TQ1_0", 34, QK, 54, encode_tq1_0))
TQ2_0 = register_tensor_type(TensorType("TQ2_0", 35, QK, 66, encode_tq2_0))
