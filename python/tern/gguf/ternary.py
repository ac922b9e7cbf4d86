"""Low-bit weight encoders, written from their layouts, numpy only, and
registered with GGUFWriter: TQ2_0 and TQ1_0 (llama.cpp's ternary block types),
I2_S (bitnet.cpp's ternary type) and Q1_0 (PrismML's 1-bit type).

TQ2_0 and TQ1_0 hold 256 weights a block with one float16 scale d (the block's absmax);
value = code - 1 with codes 0, 1, 2, and weight = value * d.
  TQ2_0 (66 bytes): qs[64], d. For j in {0, 32}, byte qs[j + m] holds the
    codes of weights 4j + 32n + m in bits 2n (n = 0..3).
  TQ1_0 (54 bytes): qs[48], qh[4], d. Five codes a byte as a base-3 number
    (the first most significant) scaled to a byte: (v * 256 + 242) // 243.
    qs[m] (m < 32) holds weights m + 32n (n = 0..4); qs[32 + m] weights
    160 + m + 16n; qh[m] four codes, weights 240 + m + 4n (a fifth digit 0).
Sources: llama.cpp ggml-common.h (block_tq1_0, block_tq2_0) and
ggml-quants.c; ../shared/FORMATS.md.

I2_S (ggml type 36 in bitnet.cpp's llama.cpp fork only; x86 layout): codes
0, 1, 2 for -1, 0, +1 in blocks of 128 weights (over the flattened tensor) of
32 bytes: weight j of a block is in byte j % 32 at bit shift 6 - 2 * (j / 32),
so byte m holds weights m, m+32, m+64, m+96 from the high bits down. After the
packed bytes (numel / 4) comes ONE float32 scale for the whole tensor, in the
first 4 bytes of a 32-byte tail (the rest zero): numel / 4 + 32 bytes. The
scale is max |w| and a weight's code is its sign (|w| < 1e-6 is 0), so ternary
values times one scale round-trip exactly.
Source: microsoft/BitNet src/ggml-bitnet-mad.cpp quantize_i2_s (the x86
ACT_PARALLEL branch; include/gemm-config.h defines ACT_PARALLEL) and the
I2_S case of ggml_nbytes (n / 4 + 32) in its 3rdparty/llama.cpp ggml.c. The
ARM build packs blocks of 64 in 16 bytes instead; that layout is not written.

Q1_0 (ggml type 41 in PrismML-Eng/llama.cpp): block of 128 weights = fp16 d
then qs[16] (18 bytes); bit j is (qs[j / 8] >> (j % 8)) & 1, 1 -> +d and
0 -> -d; d = (sum of |w| over the block, summed in order in float32) / 128,
and a weight >= 0 gets the bit 1. Source: PrismML-Eng/llama.cpp
ggml/src/ggml-common.h (block_q1_0, QK1_0 = 128), ggml/include/ggml.h
(GGML_TYPE_Q1_0 = 41), ggml/src/ggml-quants.c (quantize_row_q1_0_ref,
dequantize_row_q1_0).
"""
from dataclasses import dataclass

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


# ----------------------------------------------------------------------------- I2_S
QK_I2_S = 128
I2_S_TAIL = 32          # the float32 scale, padded to 32 bytes


def encode_i2_s(a):
    x = np.ascontiguousarray(a, dtype=np.float32).reshape(-1)
    if x.size % QK_I2_S:
        raise ValueError(f"I2_S: {x.size} weights is not a multiple of {QK_I2_S}")
    scale = np.float32(np.abs(x).max()) if x.size else np.float32(0)
    sign = np.sign(x)
    sign[np.abs(x) < 1e-6] = 0
    codes = (sign + 1).astype(np.uint8)
    c = codes.reshape(-1, 4, 32)                        # [block, j // 32, j % 32]
    packed = (c[:, 0] << 6) | (c[:, 1] << 4) | (c[:, 2] << 2) | c[:, 3]
    tail = np.zeros(I2_S_TAIL, np.uint8)
    tail[:4] = np.array([scale], "<f4").view(np.uint8)
    return packed.astype(np.uint8).tobytes() + tail.tobytes()


@dataclass(frozen=True)
class _I2SType(TensorType):
    """I2_S's size is not a whole number of blocks: the packed data, then the tail."""

    def nbytes(self, shape):
        return super().nbytes(shape) + I2_S_TAIL


# ----------------------------------------------------------------------------- Q1_0
QK1_0 = 128


def encode_q1_0(a):
    x = np.ascontiguousarray(a, dtype=np.float32).reshape(-1, QK1_0)
    # in-order float32 sum, as quantize_row_q1_0_ref accumulates it
    total = np.cumsum(np.abs(x), axis=1, dtype=np.float32)[:, -1]
    d = (total / np.float32(QK1_0)).astype(np.float32).astype("<f2")
    bits = np.packbits((x >= 0).astype(np.uint8), axis=1, bitorder="little")  # [nb, 16]
    out = np.empty((x.shape[0], 18), np.uint8)
    out[:, 0:2] = d.view(np.uint8).reshape(-1, 2)
    out[:, 2:] = bits
    return out.tobytes()


TQ1_0 = register_tensor_type(TensorType("TQ1_0", 34, QK, 54, encode_tq1_0))
TQ2_0 = register_tensor_type(TensorType("TQ2_0", 35, QK, 66, encode_tq2_0))
I2_S = register_tensor_type(_I2SType("I2_S", 36, QK_I2_S, 32, encode_i2_s))
Q1_0 = register_tensor_type(TensorType("Q1_0", 41, QK1_0, 18, encode_q1_0))
