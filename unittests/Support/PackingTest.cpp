//===- PackingTest.cpp - Tests for the low-bit packing layouts ------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Every layout round-trips random and edge inputs for K around block
// boundaries; hand-computed bytes pin each bit order; and the layouts that
// mirror external formats (TQ2_0, I2_S, TQ1_0, Q1_0) are checked against the
// formats' own decoding formulas as written in FORMATS.md.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Packing.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using namespace tern;

namespace {

std::vector<Layout> allLayouts() {
  std::vector<Layout> layouts = {{Encoding::I8, 1, BitOrder::Lsb}};
  for (int64_t block : {4, 8, 32, 128, 256})
    for (BitOrder order : {BitOrder::Lsb, BitOrder::Msb})
      layouts.push_back({Encoding::I2, block, order});
  for (int64_t block : {5, 10, 160, 255})
    layouts.push_back({Encoding::B3, block, BitOrder::Lsb});
  for (int64_t block : {8, 16, 128, 256})
    for (BitOrder order : {BitOrder::Lsb, BitOrder::Msb})
      layouts.push_back({Encoding::I1, block, order});
  for (int64_t block : {4, 8, 128})
    layouts.push_back({Encoding::Lut, block, BitOrder::Lsb});
  // Row-interleaved layouts, including groups that do not divide the rows.
  layouts.push_back({Encoding::Lut, 4, BitOrder::Lsb, 16});
  layouts.push_back({Encoding::I2, 256, BitOrder::Lsb, 8});
  layouts.push_back({Encoding::I2, 4, BitOrder::Msb, 2});
  layouts.push_back({Encoding::B3, 160, BitOrder::Lsb, 4});
  layouts.push_back({Encoding::I1, 16, BitOrder::Lsb, 32});
  return layouts;
}

std::string name(const Layout &layout) {
  return std::string(toString(layout.encoding)) + "_" +
         std::to_string(layout.block) + "_" +
         std::string(toString(layout.order)) +
         (layout.rows > 1 ? "_rows" + std::to_string(layout.rows) : "");
}

/// The values a layout's weights may take.
std::vector<int8_t> domain(const Layout &layout) {
  if (layout.encoding == Encoding::I1)
    return {-1, 1};
  return {-1, 0, 1};
}

std::vector<int8_t> roundTrip(const Layout &layout,
                              const std::vector<int8_t> &values, int64_t rows,
                              int64_t k) {
  std::vector<uint8_t> packed(rows * layout.packedRowBytes(k), 0xAB);
  EXPECT_EQ(packMatrix(layout, values.data(), rows, k, packed.data()), -1);
  std::vector<int8_t> out(rows * k, 42);
  unpackMatrix(layout, packed.data(), rows, k, out.data());
  return out;
}

class LayoutRoundTrip : public ::testing::TestWithParam<Layout> {};

TEST_P(LayoutRoundTrip, RandomValuesAnyK) {
  const Layout layout = GetParam();
  std::mt19937 rng(1234);
  std::vector<int8_t> dom = domain(layout);
  for (int64_t k : {int64_t(1), int64_t(3), layout.block - 1, layout.block,
                    layout.block + 1, 2 * layout.block + 7, int64_t(1000)}) {
    if (k <= 0)
      continue;
    for (int64_t rows : {1, 3, 11, 16}) {
      std::vector<int8_t> values(rows * k);
      for (auto &v : values)
        v = dom[rng() % dom.size()];
      EXPECT_EQ(roundTrip(layout, values, rows, k), values)
          << "K = " << k << ", rows = " << rows;
    }
  }
}

TEST_P(LayoutRoundTrip, ConstantRows) {
  const Layout layout = GetParam();
  for (int8_t v : domain(layout))
    for (int64_t k : {layout.block - 1, layout.block, 3 * layout.block + 2}) {
      if (k <= 0)
        continue;
      std::vector<int8_t> values(2 * k, v);
      EXPECT_EQ(roundTrip(layout, values, 2, k), values)
          << "all " << int(v) << ", K = " << k;
    }
}

TEST_P(LayoutRoundTrip, PaddingIsZeroWeight) {
  // Padding must contribute nothing to a dot product against zero-padded
  // activations and must decode, for i2/b3, to the zero weight.
  const Layout layout = GetParam();
  if (layout.encoding == Encoding::I8 || layout.encoding == Encoding::I1)
    return;
  const int64_t k = layout.block + 1;
  std::vector<int8_t> values(k, 1);
  std::vector<uint8_t> packed(layout.packedRowBytes(k));
  ASSERT_EQ(packRow(layout, values.data(), k, packed.data()), -1);
  const int64_t padded = layout.packedRowBytes(k) * layout.valuesPerByte();
  std::vector<int8_t> all(padded);
  unpackRow(layout, packed.data(), padded, all.data());
  for (int64_t i = k; i < padded; ++i)
    EXPECT_EQ(all[i], 0) << "padding weight " << i;
}

TEST_P(LayoutRoundTrip, RejectsValuesOutsideTheDomain) {
  const Layout layout = GetParam();
  if (layout.encoding == Encoding::I8)
    return;
  std::vector<int8_t> values(layout.block, 1);
  values[layout.block / 2] = layout.encoding == Encoding::I1 ? 0 : 2;
  std::vector<uint8_t> packed(layout.packedRowBytes(layout.block));
  EXPECT_EQ(packRow(layout, values.data(), layout.block, packed.data()),
            layout.block / 2);
}

INSTANTIATE_TEST_SUITE_P(AllLayouts, LayoutRoundTrip,
                         ::testing::ValuesIn(allLayouts()),
                         [](const auto &info) { return name(info.param); });

TEST(Layout, PackedRowBytes) {
  EXPECT_EQ((Layout{Encoding::I8, 1, BitOrder::Lsb}).packedRowBytes(13), 13);
  EXPECT_EQ((Layout{Encoding::I2, 4, BitOrder::Lsb}).packedRowBytes(13), 4);
  EXPECT_EQ((Layout{Encoding::I2, 256, BitOrder::Lsb}).packedRowBytes(2560), 640);
  EXPECT_EQ((Layout{Encoding::I2, 256, BitOrder::Lsb}).packedRowBytes(100), 64);
  EXPECT_EQ((Layout{Encoding::B3, 5, BitOrder::Lsb}).packedRowBytes(13), 3);
  EXPECT_EQ((Layout{Encoding::B3, 160, BitOrder::Lsb}).packedRowBytes(161), 64);
  EXPECT_EQ((Layout{Encoding::I1, 128, BitOrder::Lsb}).packedRowBytes(130), 32);
}

TEST(Layout, Verify) {
  std::string why;
  EXPECT_TRUE((Layout{Encoding::I2, 256, BitOrder::Msb}).verify(&why));
  EXPECT_FALSE((Layout{Encoding::I2, 6, BitOrder::Lsb}).verify(&why));
  EXPECT_NE(why.find("multiple of 4"), std::string::npos) << why;
  EXPECT_FALSE((Layout{Encoding::I8, 4, BitOrder::Lsb}).verify(&why));
  EXPECT_FALSE((Layout{Encoding::B3, 5, BitOrder::Msb}).verify(&why));
  EXPECT_FALSE((Layout{Encoding::I1, 0, BitOrder::Lsb}).verify(&why));
  EXPECT_TRUE((Layout{Encoding::B3, 5, BitOrder::Lsb}).canHold(WeightKind::Ternary));
  EXPECT_FALSE((Layout{Encoding::I1, 8, BitOrder::Lsb}).canHold(WeightKind::Ternary));
  EXPECT_TRUE((Layout{Encoding::I2, 4, BitOrder::Lsb}).canHold(WeightKind::Binary));
}

TEST(Layout, HandComputedBytes) {
  // w = [-1, 0, 1, 1 | 0, -1] -> codes [0, 1, 2, 2 | 1, 0], padded with code 1.
  const int8_t w[6] = {-1, 0, 1, 1, 0, -1};
  uint8_t out[4] = {};
  // i2, block 4, lsb: byte = c0 | c1 << 2 | c2 << 4 | c3 << 6.
  ASSERT_EQ(packRow({Encoding::I2, 4, BitOrder::Lsb}, w, 6, out), -1);
  EXPECT_EQ(out[0], 0b10100100);
  EXPECT_EQ(out[1], 0b01010001); // codes 1, 0, pad 1, pad 1
  // i2, block 4, msb: byte = c0 << 6 | c1 << 4 | c2 << 2 | c3.
  ASSERT_EQ(packRow({Encoding::I2, 4, BitOrder::Msb}, w, 6, out), -1);
  EXPECT_EQ(out[0], 0b00011010);
  EXPECT_EQ(out[1], 0b01000101);
  // i2, block 8, lsb: S = 2; byte 0 holds weights 0, 2, 4, 6; byte 1 holds
  // 1, 3, 5, 7.
  ASSERT_EQ(packRow({Encoding::I2, 8, BitOrder::Lsb}, w, 6, out), -1);
  EXPECT_EQ(out[0], 0b01011000); // codes 0, 2, 1, pad 1 at bits 0, 2, 4, 6
  EXPECT_EQ(out[1], 0b01001001); // codes 1, 2, 0, pad 1
  // b3, block 5: v = 0*81 + 1*27 + 2*9 + 2*3 + 1 = 52 -> ceil(52*256/243) = 55.
  ASSERT_EQ(packRow({Encoding::B3, 5, BitOrder::Lsb}, w, 6, out), -1);
  EXPECT_EQ(out[0], 55);
  // second byte: codes [0, pad 1, 1, 1, 1] -> v = 40 -> ceil(40*256/243) = 43.
  EXPECT_EQ(out[1], 43);
  // i1, block 8, lsb: [+1, -1, +1, +1, -1, -1, -1, +1] -> bits 0, 2, 3, 7.
  const int8_t s[8] = {1, -1, 1, 1, -1, -1, -1, 1};
  ASSERT_EQ(packRow({Encoding::I1, 8, BitOrder::Lsb}, s, 8, out), -1);
  EXPECT_EQ(out[0], 0b10001101);
  ASSERT_EQ(packRow({Encoding::I1, 8, BitOrder::Msb}, s, 8, out), -1);
  EXPECT_EQ(out[0], 0b10110001);
}

TEST(Layout, LutPairIndices) {
  // Row [-1, 0, 1, 1, 0, -1]: pairs (-1, 0) -> 3 * 0 + 1 = 1, (1, 1) -> 8,
  // (0, -1) -> 3, padding (0, 0) -> 4; block 4 holds pairs 0, 1 in the low
  // and high nibble of one byte.
  const int8_t row[6] = {-1, 0, 1, 1, 0, -1};
  uint8_t out[2];
  ASSERT_EQ(packRow({Encoding::Lut, 4, BitOrder::Lsb}, row, 6, out), -1);
  EXPECT_EQ(out[0], 0x81);
  EXPECT_EQ(out[1], 0x43);
  // Block 8 (S = 2): pairs 0, 1 in the low nibbles of bytes 0, 1, pairs 2, 3
  // in the high nibbles.
  ASSERT_EQ(packRow({Encoding::Lut, 8, BitOrder::Lsb}, row, 6, out), -1);
  EXPECT_EQ(out[0], 0x31);
  EXPECT_EQ(out[1], 0x48);
  // Indices 9..15 are never written and read as two zero weights.
  const uint8_t unused = 0xF9;
  int8_t values[4];
  unpackRow({Encoding::Lut, 4, BitOrder::Lsb}, &unused, 4, values);
  for (int8_t v : values)
    EXPECT_EQ(v, 0);
  std::string why;
  EXPECT_FALSE((Layout{Encoding::Lut, 4, BitOrder::Msb}).verify(&why));
  EXPECT_FALSE((Layout{Encoding::Lut, 6, BitOrder::Lsb}).verify(&why));
  const int8_t two[2] = {1, 2};
  EXPECT_EQ(packRow({Encoding::Lut, 4, BitOrder::Lsb}, two, 2, out), 1);
}

TEST(Layout, InterleavedRowsAlternateBlocks) {
  // i2, block 4 (one byte per block), 2 rows interleaved, 3 rows of K = 8:
  // group 0 = rows 0, 1 as r0b0 r1b0 r0b1 r1b1; group 1 = row 2 alone.
  const Layout layout{Encoding::I2, 4, BitOrder::Lsb, 2};
  std::vector<int8_t> w(3 * 8);
  for (int64_t r = 0; r < 3; ++r)
    for (int64_t j = 0; j < 8; ++j)
      w[r * 8 + j] = int8_t(j < 4 ? r - 1 : 1 - r); // block 0: r - 1
  std::vector<uint8_t> out(3 * 2);
  ASSERT_EQ(packMatrix(layout, w.data(), 3, 8, out.data()), -1);
  // Codes (w + 1) repeated 4 times in a byte: 0 -> 0x00, 1 -> 0x55, 2 -> 0xAA.
  EXPECT_EQ(out, (std::vector<uint8_t>{0x00, 0x55, 0xAA, 0x55, 0xAA, 0x00}));
  EXPECT_EQ(layout.rowOffset(1, 2), 1);
  EXPECT_EQ(layout.blockStride(1, 3), 2);
  EXPECT_EQ(layout.rowOffset(2, 2), 4);
  EXPECT_EQ(layout.blockStride(2, 3), 1);
  std::string why;
  EXPECT_FALSE((Layout{Encoding::I8, 1, BitOrder::Lsb, 4}).verify(&why));
  EXPECT_FALSE((Layout{Encoding::I2, 256, BitOrder::Lsb, 0}).verify(&why));
  EXPECT_FALSE((Layout{Encoding::I2, 256, BitOrder::Lsb, 6}).verify(&why));
  EXPECT_TRUE((Layout{Encoding::I2, 256, BitOrder::Lsb, 8}).verify(&why));
}

std::vector<int8_t> randomTrits(int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> v(n);
  for (auto &x : v)
    x = int8_t(int(rng() % 3) - 1);
  return v;
}

TEST(ExternalFormats, TQ2_0MatchesGgmlDecoding) {
  // TQ2_0 (ggml-common.h): for j in {0, 32}, byte qs[j + m] holds weight
  // j*4 + m + 32n at bits 2n. Tern's i2 block 128 lsb is its half block.
  std::vector<int8_t> w = randomTrits(256, 7);
  std::vector<uint8_t> qs(64);
  ASSERT_EQ(packRow({Encoding::I2, 128, BitOrder::Lsb}, w.data(), 256, qs.data()), -1);
  for (int j : {0, 32})
    for (int m = 0; m < 32; ++m)
      for (int n = 0; n < 4; ++n)
        EXPECT_EQ(int((qs[j + m] >> (2 * n)) & 3) - 1, w[j * 4 + m + 32 * n]);
}

TEST(ExternalFormats, I2_SMatchesBitnetCppDecoding) {
  // I2_S (bitnet.cpp, x86): blocks of 128 in 32 bytes; weight j at byte j % 32,
  // shift 6 - 2 * (j / 32); codes 0, 1, 2 = -1, 0, +1.
  std::vector<int8_t> w = randomTrits(384, 11);
  std::vector<uint8_t> q(96);
  ASSERT_EQ(packRow({Encoding::I2, 128, BitOrder::Msb}, w.data(), 384, q.data()), -1);
  for (int i = 0; i < 384; ++i) {
    int block = i / 128, j = i % 128;
    EXPECT_EQ(int((q[block * 32 + j % 32] >> (6 - 2 * (j / 32))) & 3) - 1, w[i]);
  }
}

TEST(ExternalFormats, TQ1_0MainPartMatchesGgmlDecoding) {
  // TQ1_0 qs[0..31]: byte m holds weights m + 32n (n = 0..4); trit n is
  // ((uint8)(b * 3^n) * 3) >> 8, code - 1. That is Tern's b3 block 160.
  std::vector<int8_t> w = randomTrits(160, 5);
  std::vector<uint8_t> qs(32);
  ASSERT_EQ(packRow({Encoding::B3, 160, BitOrder::Lsb}, w.data(), 160, qs.data()), -1);
  const int pow3[5] = {1, 3, 9, 27, 81};
  for (int m = 0; m < 32; ++m)
    for (int n = 0; n < 5; ++n) {
      uint8_t q = uint8_t(qs[m] * pow3[n]);
      EXPECT_EQ(int((q * 3) >> 8) - 1, w[m + 32 * n]);
    }
}

TEST(ExternalFormats, Q1_0MatchesPrismMlDecoding) {
  // Q1_0: bit j of the 128-weight block is (qs[j / 8] >> (j % 8)) & 1, 1 = +1.
  // That is Tern's i1 with block = 8 (one byte per block, weight j at bit j).
  std::mt19937 rng(3);
  std::vector<int8_t> w(128);
  for (auto &x : w)
    x = rng() % 2 ? 1 : -1;
  std::vector<uint8_t> qs(16);
  ASSERT_EQ(packRow({Encoding::I1, 8, BitOrder::Lsb}, w.data(), 128, qs.data()), -1);
  for (int j = 0; j < 128; ++j)
    EXPECT_EQ(((qs[j / 8] >> (j % 8)) & 1) ? 1 : -1, w[j]);
}

TEST(ExternalFormats, UnpackOfCode3IsPlusTwo) {
  // Never written by pack; decodes as code - 1 like the integer kernels do.
  const uint8_t byte = 0xFF;
  int8_t out[4];
  unpackRow({Encoding::I2, 4, BitOrder::Lsb}, &byte, 4, out);
  for (int8_t v : out)
    EXPECT_EQ(v, 2);
}

TEST(Names, RoundTrip) {
  for (Encoding e : {Encoding::I8, Encoding::I2, Encoding::B3, Encoding::I1,
                     Encoding::Lut})
    EXPECT_EQ(parseEncoding(toString(e)), e);
  EXPECT_EQ(parseEncoding("i4"), std::nullopt);
  EXPECT_EQ(parseBitOrder("msb"), BitOrder::Msb);
  EXPECT_EQ(parseWeightKind("binary"), WeightKind::Binary);
}

TEST(Names, SpecRoundTrip) {
  EXPECT_EQ((Layout{Encoding::I2, 256, BitOrder::Lsb, 8}).spec(), "i2:256:rows=8");
  EXPECT_EQ((Layout{Encoding::I2, 128, BitOrder::Msb, 1}).spec(), "i2:128:msb");
  EXPECT_EQ((Layout{Encoding::B3, 160, BitOrder::Lsb, 4}).spec(), "b3:160:rows=4");
  for (const char *spec : {"i8:1", "i2:4", "i2:256:rows=8", "i2:128:msb:rows=2",
                           "b3:5", "i1:8:msb", "lut:4:rows=16"}) {
    std::optional<Layout> layout = Layout::parse(spec, nullptr);
    ASSERT_TRUE(layout) << spec;
    EXPECT_EQ(layout->spec(), spec);
  }
}

} // namespace
