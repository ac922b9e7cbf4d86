//===- QuantizationTest.cpp - Tests for the reference quantizers ----------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Quantization.h"

#include <gtest/gtest.h>

#include <vector>

using namespace tern;

TEST(Quantization, RoundHalfEven) {
  EXPECT_EQ(roundHalfEven(0.5f), 0.0f);
  EXPECT_EQ(roundHalfEven(1.5f), 2.0f);
  EXPECT_EQ(roundHalfEven(2.5f), 2.0f);
  EXPECT_EQ(roundHalfEven(-0.5f), -0.0f);
  EXPECT_EQ(roundHalfEven(-1.5f), -2.0f);
  EXPECT_EQ(roundHalfEven(0.49f), 0.0f);
}

TEST(Quantization, TernarizePerTensor) {
  // mean|w| = (0.2 + 0.4 + 1.0 + 0.0 + 0.6 + 0.2) / 6 = 0.4;
  // w / 0.4 = [0.5, -1, 2.5, 0, -1.5, 0.5] -> round-even [0, -1, 2, 0, -2, 0]
  // -> clamp [0, -1, 1, 0, -1, 0].
  const float w[6] = {0.2f, -0.4f, 1.0f, 0.0f, -0.6f, 0.2f};
  int8_t q[6];
  float scale;
  ternarize(w, 2, 3, {ScaleGroups::PerTensor, 0}, 1e-5f, q, &scale);
  EXPECT_FLOAT_EQ(scale, 0.4f);
  const int8_t expected[6] = {0, -1, 1, 0, -1, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(q[i], expected[i]) << i;
}

TEST(Quantization, TernarizeGroupsAndEpsilon) {
  // Rows [1, 1, 3] and [0, 0, 0]; groups of 2 along K: {1,1}, {3}, {0,0}, {0}.
  const float w[6] = {1.0f, -1.0f, 3.0f, 0.0f, 0.0f, 0.0f};
  int8_t q[6];
  float scales[4];
  ternarize(w, 2, 3, {ScaleGroups::Group, 2}, 1e-5f, q, scales);
  EXPECT_FLOAT_EQ(scales[0], 1.0f);
  EXPECT_FLOAT_EQ(scales[1], 3.0f);
  EXPECT_FLOAT_EQ(scales[2], 1e-5f); // all-zero group clamps to epsilon
  EXPECT_FLOAT_EQ(scales[3], 1e-5f);
  const int8_t expected[6] = {1, -1, 1, 0, 0, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(q[i], expected[i]) << i;
}

TEST(Quantization, BinarizePerRow) {
  const float w[4] = {0.5f, -1.5f, 0.0f, -2.0f};
  int8_t q[4];
  float scales[2];
  binarize(w, 2, 2, {ScaleGroups::PerRow, 0}, q, scales);
  EXPECT_FLOAT_EQ(scales[0], 1.0f);
  EXPECT_FLOAT_EQ(scales[1], 1.0f);
  const int8_t expected[4] = {1, -1, 1, -1}; // 0 binarizes to +1
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(q[i], expected[i]) << i;
}

TEST(Quantization, QuantizeRowsAbsmax) {
  // Row 0: absmax 2 -> x * 63.5 = [127, -63.5, 31.75] -> [127, -64, 32].
  // Row 1: all zero -> scale epsilon / 127, values 0.
  const float x[6] = {2.0f, -1.0f, 0.5f, 0.0f, 0.0f, 0.0f};
  int8_t q[6];
  float scales[2];
  quantizeRows(x, 2, 3, 1e-5f, q, scales);
  const int8_t expected[6] = {127, -64, 32, 0, 0, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(q[i], expected[i]) << i;
  EXPECT_FLOAT_EQ(scales[0], 2.0f / 127.0f);
  EXPECT_FLOAT_EQ(scales[1], 1e-5f / 127.0f);
}

TEST(Quantization, ScaleGroupIndexing) {
  ScaleGroups groups{ScaleGroups::Group, 128};
  EXPECT_EQ(groups.groupsPerRow(300), 3);
  EXPECT_EQ(groups.count(4, 300), 12);
  EXPECT_EQ(groups.indexOf(1, 299, 300), 5);
  EXPECT_EQ((ScaleGroups{ScaleGroups::PerRow, 0}).indexOf(3, 7, 10), 3);
}
