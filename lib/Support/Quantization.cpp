//===- Quantization.cpp - Reference low-bit quantization math -------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Follows BitNet's reference weight_quant / activation_quant: scale = 1 /
// max(mean|w|, eps), round half to even, clamp. Sums are accumulated in f32 in
// index order, so the generated code can reproduce them exactly.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Quantization.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tern {

int64_t ScaleGroups::groupsPerRow(int64_t k) const {
  return kind == Group ? (k + groupSize - 1) / groupSize : 1;
}

int64_t ScaleGroups::count(int64_t n, int64_t k) const {
  switch (kind) {
  case PerTensor:
    return 1;
  case PerRow:
    return n;
  case Group:
    return n * groupsPerRow(k);
  }
  return 1;
}

int64_t ScaleGroups::indexOf(int64_t row, int64_t col, int64_t k) const {
  switch (kind) {
  case PerTensor:
    return 0;
  case PerRow:
    return row;
  case Group:
    return row * groupsPerRow(k) + col / groupSize;
  }
  return 0;
}

float roundHalfEven(float x) { return std::nearbyint(x); }

/// std::clamp to [lo, hi], then to int8_t; NaN (whose conversion would be
/// undefined) becomes 0. Importers reject non-finite weights first; this
/// keeps a damaged value from being undefined behaviour anywhere else.
static int8_t clampToInt8(float x, float lo, float hi) {
  return std::isnan(x) ? 0 : int8_t(std::clamp(x, lo, hi));
}

void quantizeHeadRows(const float *w, int64_t n, int64_t k, int8_t *values,
                      float *scales) {
  for (int64_t r = 0; r < n; ++r) {
    float absmax = 0;
    for (int64_t c = 0; c < k; ++c)
      absmax = std::max(absmax, std::fabs(w[r * k + c]));
    float scale = absmax > 0 ? absmax / 127.0f : 1.0f;
    scales[r] = scale;
    for (int64_t c = 0; c < k; ++c)
      values[r * k + c] =
          clampToInt8(roundHalfEven(w[r * k + c] / scale), -127.0f, 127.0f);
  }
}

/// Mean |w| of every scale group, summed in f32 in index order.
static std::vector<float> meanMagnitudes(const float *w, int64_t n, int64_t k,
                                         ScaleGroups groups) {
  int64_t count = groups.count(n, k);
  std::vector<float> sums(count, 0.0f);
  std::vector<int64_t> sizes(count, 0);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c) {
      int64_t g = groups.indexOf(r, c, k);
      sums[g] += std::fabs(w[r * k + c]);
      ++sizes[g];
    }
  for (int64_t g = 0; g < count; ++g)
    sums[g] = sizes[g] ? sums[g] / float(sizes[g]) : 0.0f;
  return sums;
}

void ternarize(const float *w, int64_t n, int64_t k, ScaleGroups groups,
               float epsilon, int8_t *values, float *scales) {
  std::vector<float> gamma = meanMagnitudes(w, n, k, groups);
  for (size_t g = 0; g < gamma.size(); ++g)
    scales[g] = gamma[g] = std::max(gamma[g], epsilon);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c) {
      float inv = 1.0f / gamma[groups.indexOf(r, c, k)];
      float q = roundHalfEven(w[r * k + c] * inv);
      values[r * k + c] = clampToInt8(q, -1.0f, 1.0f);
    }
}

void binarize(const float *w, int64_t n, int64_t k, ScaleGroups groups,
              int8_t *values, float *scales) {
  std::vector<float> mean = meanMagnitudes(w, n, k, groups);
  std::copy(mean.begin(), mean.end(), scales);
  for (int64_t i = 0; i < n * k; ++i)
    values[i] = w[i] >= 0.0f ? 1 : -1;
}

void quantizeRows(const float *x, int64_t m, int64_t k, float epsilon,
                  int8_t *q, float *scales) {
  for (int64_t r = 0; r < m; ++r) {
    const float *row = x + r * k;
    float absMax = 0.0f;
    for (int64_t c = 0; c < k; ++c)
      absMax = std::max(absMax, std::fabs(row[c]));
    absMax = std::max(absMax, epsilon);
    float s = 127.0f / absMax;
    for (int64_t c = 0; c < k; ++c)
      q[r * k + c] =
          clampToInt8(roundHalfEven(row[c] * s), -128.0f, 127.0f);
    scales[r] = absMax / 127.0f;
  }
}

} // namespace tern
