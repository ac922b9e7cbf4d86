"""Q8_0 (llama.cpp's 8-bit block type) written from its layout, numpy only, and
registered with GGUFWriter.

Block of 32 weights = fp16 d then qs[32] int8 (34 bytes); weight = qs * d.
Quantization as llama.cpp's quantize_row_q8_0_ref: d = absmax / 127 in float32,
qs = roundf(x * (1 / d)) (round half away from zero; 0 when d is 0), and d is
stored rounded to fp16 (so decoded values use the rounded d).
Source: llama.cpp ggml/src/ggml-common.h (block_q8_0, QK8_0 = 32) and
ggml/src/ggml-quants.c (quantize_row_q8_0_ref, dequantize_row_q8_0).
"""
import numpy as np

from .writer import TensorType, register_tensor_type

QK8_0 = 32


def encode_q8_0(a):
    x = np.ascontiguousarray(a, dtype=np.float32).reshape(-1, QK8_0)
    d = (np.abs(x).max(axis=1) / np.float32(127)).astype(np.float32)
    inv = np.divide(np.float32(1), d, out=np.zeros_like(d), where=d != 0).astype(np.float32)
    v = (x * inv[:, None]).astype(np.float32)
    qs = np.rint(v)                                 # roundf: halves away from zero
    t = np.trunc(v)
    tie = np.abs(v - t) == np.float32(0.5)          # v - trunc(v) is exact
    qs[tie] = t[tie] + np.sign(v[tie])
    qs = qs.astype(np.int8)
    out = np.empty((x.shape[0], 34), np.uint8)
    out[:, 0:2] = d.astype("<f2").view(np.uint8).reshape(-1, 2)
    out[:, 2:] = qs.view(np.uint8)
    return out.tobytes()


Q8_0 = register_tensor_type(TensorType("Q8_0", 8, QK8_0, 34, encode_q8_0))
