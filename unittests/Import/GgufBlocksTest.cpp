//===- GgufBlocksTest.cpp - ggml block formats on hand-made blocks --------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Each low-bit type decoded from one block built by hand from its layout
// (FORMATS.md), with the expected values worked out in the comments.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/GGUF/Blocks.h"
#include "tern/Import/GGUF/Gguf.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace mlir::tern::gguf;

namespace {

llvm::ArrayRef<char> bytesOf(const std::vector<uint8_t> &v) {
  return llvm::ArrayRef<char>(reinterpret_cast<const char *>(v.data()), v.size());
}

TEST(GgufBlocks, HalfAndBfloat16) {
  EXPECT_EQ(halfToFloat(0x3C00), 1.0f);
  EXPECT_EQ(halfToFloat(0xC000), -2.0f);
  EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(halfToFloat(0x0001), 5.9604644775390625e-08f); // smallest subnormal
  EXPECT_EQ(halfToFloat(0x7BFF), 65504.0f);
  EXPECT_EQ(bfloat16ToFloat(0x3F80), 1.0f);
  EXPECT_EQ(bfloat16ToFloat(0xC0A0), -5.0f);
}

TEST(GgufBlocks, TQ2_0) {
  // All codes 1 (value 0) but qs[0] = 0b10'01'00'10: codes 2, 0, 1, 2 for
  // weights 96, 64, 32, 0 (bits 2n hold weight 32n), and qs[33] =
  // 0b01'01'01'11: weight 4 * 32 + 1 = 129 has code 3, value +2 (never
  // written by quantizers; decoded as +2), 161, 193, 225 code 1. d = 2.0.
  std::vector<uint8_t> block(66, 0x55);
  block[0] = 0x92;
  block[33] = 0x57;
  block[64] = 0x00;
  block[65] = 0x40; // f16 2.0
  std::vector<int8_t> values(256);
  float scale = 0;
  ASSERT_TRUE(decodeLowBit(35, bytesOf(block), 256, values.data(), &scale));
  EXPECT_EQ(scale, 2.0f);
  EXPECT_EQ(values[0], 1);
  EXPECT_EQ(values[32], -1);
  EXPECT_EQ(values[64], 0);
  EXPECT_EQ(values[96], 1);
  EXPECT_EQ(values[129], 2);
  EXPECT_EQ(values[161], 0);
  EXPECT_EQ(values[1], 0);
  std::vector<float> floats(256);
  ASSERT_TRUE(dequantize(35, bytesOf(block), 256, floats.data()));
  EXPECT_EQ(floats[0], 2.0f);
  EXPECT_EQ(floats[32], -2.0f);
}

TEST(GgufBlocks, TQ1_0) {
  // Digits (first most significant) 2, 0, 1, 1, 0: v = 162 + 9 + 3 = 174,
  // stored as (174 * 256 + 242) / 243 = 184. In qs[0] that is weights 0,
  // 32, 64, 96, 128 = +1, -1, 0, 0, -1; in qs[32 + 3], weights 163, 179,
  // 195, 211, 227; in qh[2] (4 digits: 2, 0, 1, 1), weights 242, 246, 250,
  // 254. Every other byte holds digits 1, 1, 1, 1, 1 (v = 121, byte
  // (121 * 256 + 242) / 243 = 128): value 0. d = -1.0.
  std::vector<uint8_t> block(54, 128);
  block[0] = 184;
  block[35] = 184;
  block[50] = 184;
  block[52] = 0x00;
  block[53] = 0xBC; // f16 -1.0
  std::vector<int8_t> values(256);
  float scale = 0;
  ASSERT_TRUE(decodeLowBit(34, bytesOf(block), 256, values.data(), &scale));
  EXPECT_EQ(scale, -1.0f);
  const int first[5] = {0, 32, 64, 96, 128}, mid[5] = {163, 179, 195, 211, 227};
  const int expected[5] = {1, -1, 0, 0, -1};
  for (int n = 0; n < 5; ++n) {
    EXPECT_EQ(values[first[n]], expected[n]) << first[n];
    EXPECT_EQ(values[mid[n]], expected[n]) << mid[n];
  }
  const int high[4] = {242, 246, 250, 254};
  for (int n = 0; n < 4; ++n)
    EXPECT_EQ(values[high[n]], expected[n]) << high[n];
  EXPECT_EQ(values[1], 0);
  EXPECT_EQ(values[255], 0);
}

TEST(GgufBlocks, I2_S) {
  // Byte 0 = 0b10'00'01'10: weight 0 (shift 6) code 2 = +1, weight 32
  // (shift 4) code 0 = -1, weight 64 (shift 2) code 1 = 0, weight 96 (shift
  // 0) code 2 = +1. The rest code 1 (0x55). Scale 0.5 after the 32 bytes.
  std::vector<uint8_t> data(32 + 32, 0);
  std::fill(data.begin(), data.begin() + 32, 0x55);
  data[0] = 0x86;
  float half = 0.5f;
  std::memcpy(data.data() + 32, &half, 4);
  ASSERT_EQ(*GgufFile::storageBytes(36, 128, 128), data.size());
  std::vector<int8_t> values(128);
  float scale = 0;
  ASSERT_TRUE(decodeLowBit(36, bytesOf(data), 128, values.data(), &scale));
  EXPECT_EQ(scale, 0.5f);
  EXPECT_EQ(values[0], 1);
  EXPECT_EQ(values[32], -1);
  EXPECT_EQ(values[64], 0);
  EXPECT_EQ(values[96], 1);
  EXPECT_EQ(values[1], 0);
}

TEST(GgufBlocks, Q1_0) {
  // d = 0.25, qs[0] = 0b00000101: weights 0 and 2 are +d, 1 and 3..7 -d;
  // qs[15] = 0x80: weight 127 is +d.
  std::vector<uint8_t> block(18, 0);
  block[0] = 0x00;
  block[1] = 0x34; // f16 0.25
  block[2] = 0x05;
  block[17] = 0x80;
  std::vector<float> floats(128);
  ASSERT_TRUE(dequantize(41, bytesOf(block), 128, floats.data()));
  EXPECT_EQ(floats[0], 0.25f);
  EXPECT_EQ(floats[1], -0.25f);
  EXPECT_EQ(floats[2], 0.25f);
  EXPECT_EQ(floats[7], -0.25f);
  EXPECT_EQ(floats[126], -0.25f);
  EXPECT_EQ(floats[127], 0.25f);
}

TEST(GgufBlocks, Q8_0AndFloats) {
  std::vector<uint8_t> block(34, 0);
  block[1] = 0x38; // f16 0.5
  block[2] = 0xFE; // -2
  block[33] = 100;
  std::vector<float> floats(32);
  ASSERT_TRUE(dequantize(8, bytesOf(block), 32, floats.data()));
  EXPECT_EQ(floats[0], -1.0f);
  EXPECT_EQ(floats[31], 50.0f);
  std::vector<uint8_t> bf16 = {0x80, 0x3F, 0xA0, 0xC0};
  ASSERT_TRUE(dequantize(30, bytesOf(bf16), 2, floats.data()));
  EXPECT_EQ(floats[1], -5.0f);
  EXPECT_FALSE(dequantize(12, bytesOf(bf16), 2, floats.data())); // Q4_K
}

} // namespace
