//===- Quantization.h - Reference low-bit quantization math -----*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Plain C++ reference implementations of the quantization ops' semantics
// (tern.ternarize, tern.binarize, tern.quantize), used for constant folding at
// compile time and as the oracle of numerical tests. No MLIR/LLVM dependency.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_SUPPORT_QUANTIZATION_H
#define TERN_SUPPORT_QUANTIZATION_H

#include <cstdint>

namespace tern {

/// How a weight matrix's scales are shared; `groupSize` is used by Group only.
struct ScaleGroups {
  enum Kind : uint8_t { PerTensor, PerRow, Group } kind = PerTensor;
  int64_t groupSize = 0;

  /// Number of scales for an [n, k] matrix.
  int64_t count(int64_t n, int64_t k) const;
  /// Groups per row (1 for PerTensor and PerRow).
  int64_t groupsPerRow(int64_t k) const;
  /// Index of the scale that weight [row, col] uses.
  int64_t indexOf(int64_t row, int64_t col, int64_t k) const;
};

/// Round half to even in f32, the rounding of torch.round and of every tern op.
float roundHalfEven(float x);

/// Absmean ternarization of an [n, k] matrix (see tern.ternarize).
void ternarize(const float *w, int64_t n, int64_t k, ScaleGroups groups,
               float epsilon, int8_t *values, float *scales);

/// Sign binarization with mean-magnitude scales (see tern.binarize).
void binarize(const float *w, int64_t n, int64_t k, ScaleGroups groups,
              int8_t *values, float *scales);

/// An output head's int8 rows (`ternc --lm-head=int8`): scale[n] =
/// max_k |w[n, k]| / 127 (1 for an all-zero row), q = round_half_even(w /
/// scale) clamped to +-127.
void quantizeHeadRows(const float *w, int64_t n, int64_t k, int8_t *values,
                      float *scales);

/// Per-row absmax int8 quantization of an [m, k] matrix (see tern.quantize).
void quantizeRows(const float *x, int64_t m, int64_t k, float epsilon,
                  int8_t *q, float *scales);

} // namespace tern

#endif // TERN_SUPPORT_QUANTIZATION_H
