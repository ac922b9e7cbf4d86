//===- Blocks.cpp - ggml block formats decoded ----------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Sources of the layouts (facts only; see ../shared/FORMATS.md):
//   TQ1_0, TQ2_0, Q8_0: llama.cpp ggml/src/ggml-common.h (block structs) and
//     ggml-quants.c (dequantize_row_tq1_0 / _tq2_0 / _q8_0).
//   I2_S: microsoft/BitNet's ggml fork, quantize_i2_s in its ACT_PARALLEL
//     branch (the default of include/gemm-config.h; x86: 128 weights in 32
//     bytes, weight j at byte j % 32, shift 6 - 2 * (j / 32); codes 0, 1, 2 =
//     -1, 0, +1; one f32 scale after the codes). The ARM build's 64-weight
//     blocks are a different file layout that a GGUF does not mark; Tern
//     reads x86 files (docs/gguf.md).
//   Q1_0: PrismML's llama.cpp fork, ggml-common.h (block_q1_0: f16 d, then
//     qs[16]) and ggml-quants.c (quantize_row_q1_0: bit j of the block is
//     (qs[j / 8] >> (j % 8)) & 1, set for w >= 0; d = mean |w| of the block,
//     so 1 = +d and 0 = -d).
//
//===----------------------------------------------------------------------===//
#include "tern/Import/GGUF/Blocks.h"
#include "tern/Import/GGUF/Gguf.h"

#include <cstring>
#include <vector>

using namespace mlir::tern::gguf;

float mlir::tern::gguf::halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16, exponent = (h >> 10) & 0x1f,
           mantissa = h & 0x3ff, bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13); // inf, nan
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign; // +-0
  } else {
    // Subnormal: normalize.
    int shift = 0;
    while (!(mantissa & 0x400)) {
      mantissa <<= 1;
      ++shift;
    }
    bits = sign | (uint32_t(113 - shift) << 23) | ((mantissa & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float mlir::tern::gguf::bfloat16ToFloat(uint16_t b) {
  uint32_t bits = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

int64_t mlir::tern::gguf::lowBitBlock(uint32_t type) {
  switch (TensorType(type)) {
  case TensorType::TQ1_0:
  case TensorType::TQ2_0:
    return 256;
  case TensorType::Q1_0:
    return 128;
  case TensorType::I2_S:
    return 0;
  default:
    return -1;
  }
}

static uint16_t u16At(const uint8_t *p) { return uint16_t(p[0] | p[1] << 8); }

bool mlir::tern::gguf::decodeLowBit(uint32_t type, llvm::ArrayRef<char> data,
                                    int64_t count, int8_t *values,
                                    float *scales) {
  const auto *bytes = reinterpret_cast<const uint8_t *>(data.data());
  switch (TensorType(type)) {
  case TensorType::TQ2_0:
    // qs[64] then f16 d. For j in {0, 32}: qs[j + m] holds weight
    // 4j + 32n + m in bits 2n (n = 0..3); value = code - 1.
    for (int64_t b = 0; b < count / 256; ++b) {
      const uint8_t *block = bytes + b * 66;
      for (int j = 0; j < 64; j += 32)
        for (int n = 0; n < 4; ++n)
          for (int m = 0; m < 32; ++m)
            values[b * 256 + 4 * j + 32 * n + m] =
                int8_t(((block[j + m] >> (2 * n)) & 3) - 1);
      scales[b] = halfToFloat(u16At(block + 64));
    }
    return true;
  case TensorType::TQ1_0: {
    // qs[48], qh[4], f16 d. Five base-3 digits a byte (the first most
    // significant, scaled to 256 / 243): digit n of byte x is
    // ((uint8)(x * 3^n) * 3) >> 8, value = digit - 1. qs[m] (m < 32) holds
    // weights m + 32n; qs[32 + m] weights 160 + m + 16n; qh[m] (4 digits)
    // weights 240 + m + 4n.
    static const uint8_t pow3[5] = {1, 3, 9, 27, 81};
    auto digit = [&](uint8_t x, int n) {
      return int8_t(((uint8_t(x * pow3[n]) * 3) >> 8) - 1);
    };
    for (int64_t b = 0; b < count / 256; ++b) {
      const uint8_t *block = bytes + b * 54;
      int8_t *out = values + b * 256;
      for (int n = 0; n < 5; ++n) {
        for (int m = 0; m < 32; ++m)
          out[m + 32 * n] = digit(block[m], n);
        for (int m = 0; m < 16; ++m)
          out[160 + m + 16 * n] = digit(block[32 + m], n);
      }
      for (int n = 0; n < 4; ++n)
        for (int m = 0; m < 4; ++m)
          out[240 + m + 4 * n] = digit(block[48 + m], n);
      scales[b] = halfToFloat(u16At(block + 52));
    }
    return true;
  }
  case TensorType::I2_S: {
    // 128 weights a 32-byte block: weight j at byte j % 32, shift
    // 6 - 2 * (j / 32); codes 0, 1, 2 = -1, 0, +1 (3 does not occur). One
    // f32 scale after the codes.
    for (int64_t i = 0; i < count; ++i) {
      int64_t block = i / 128, j = i % 128;
      uint8_t code = (bytes[block * 32 + j % 32] >> (6 - 2 * (j / 32))) & 3;
      values[i] = int8_t(code) - 1;
    }
    std::memcpy(scales, bytes + count / 4, 4);
    return true;
  }
  case TensorType::Q1_0:
    // f16 d, then 16 bytes of signs: bit j (LSB first) set = +d.
    for (int64_t b = 0; b < count / 128; ++b) {
      const uint8_t *block = bytes + b * 18;
      scales[b] = halfToFloat(u16At(block));
      for (int j = 0; j < 128; ++j)
        values[b * 128 + j] = ((block[2 + j / 8] >> (j % 8)) & 1) ? 1 : -1;
    }
    return true;
  default:
    return false;
  }
}

bool mlir::tern::gguf::dequantize(uint32_t type, llvm::ArrayRef<char> data,
                                  int64_t count, float *out) {
  const auto *bytes = reinterpret_cast<const uint8_t *>(data.data());
  switch (TensorType(type)) {
  case TensorType::F32:
    std::memcpy(out, bytes, size_t(count) * 4);
    return true;
  case TensorType::F16:
    for (int64_t i = 0; i < count; ++i)
      out[i] = halfToFloat(u16At(bytes + 2 * i));
    return true;
  case TensorType::BF16:
    for (int64_t i = 0; i < count; ++i)
      out[i] = bfloat16ToFloat(u16At(bytes + 2 * i));
    return true;
  case TensorType::Q8_0:
    // f16 d, then 32 int8 values.
    for (int64_t b = 0; b < count / 32; ++b) {
      const uint8_t *block = bytes + b * 34;
      float d = halfToFloat(u16At(block));
      for (int j = 0; j < 32; ++j)
        out[b * 32 + j] = float(int8_t(block[2 + j])) * d;
    }
    return true;
  default:
    break;
  }
  int64_t block = lowBitBlock(type);
  if (block < 0)
    return false;
  std::vector<int8_t> values(static_cast<size_t>(count));
  std::vector<float> scales(block == 0 ? 1 : size_t(count / block));
  if (!decodeLowBit(type, data, count, values.data(), scales.data()))
    return false;
  for (int64_t i = 0; i < count; ++i)
    out[i] = float(values[size_t(i)]) * scales[block == 0 ? 0 : size_t(i / block)];
  return true;
}
