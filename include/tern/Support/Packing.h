//===- Packing.h - Low-bit weight packing layouts -----------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The physical layouts Tern stores low-bit weights in, and the reference
// packers/unpackers for them. This file has no MLIR or LLVM dependency: the
// compiler's folders and passes, the importers, the runtime and the tests all
// share this one definition of every bit position.
//
// A weight matrix is [N, K] (output rows by reduction dim, like torch's Linear)
// and is packed along K, row by row. Every packed layout groups K into blocks
// of `block` weights stored in block / valuesPerByte bytes ("S" below); K is
// padded up to a whole block with zero weights (sign bit 0 for binary).
//
//   i8 : one weight per byte, two's complement int8 (block = 1).
//   i2 : 2-bit codes, 4 per byte, code = w + 1 (0 -> -1, 1 -> 0, 2 -> +1).
//        Weight j of a block sits in byte j % S at bit 2*(j / S) (lsb order)
//        or 6 - 2*(j / S) (msb order). block = 4, lsb is the dense
//        little-end-first order; block = 128, lsb is ggml's TQ2_0 half-block;
//        block = 128, msb is bitnet.cpp's I2_S; block = 256, lsb feeds
//        512-bit registers (one load + 4 shifts gives 4 x 64 consecutive
//        weights). Code 3 is never written; it unpacks to code - 1 = +2, which
//        is what the integer kernels compute for it too.
//   b3 : base-3, 5 trits per byte (1.6 bits per weight), as in ggml's TQ1_0.
//        Weight j of a block is digit j / S of byte j % S, digit 0 the most
//        significant; the byte holds ceil(v * 256 / 243) for the 5-digit base-3
//        number v of codes (w + 1), so digit n decodes as
//        ((uint8)(byte * 3^n) * 3) >> 8 without a division.
//   lut: pairs of ternary weights as 4-bit indices, 2 per byte (2 bits per
//        weight, like i2): pair (w0, w1) is 3 * (w0 + 1) + (w1 + 1), 0..8.
//        Pair p of a block (weights 2p, 2p + 1) sits in byte p % S, low
//        nibble for p / S = 0, high for 1. Indices 9..15 are never written
//        and read as two zero weights. The index selects one of the nine
//        sums +-a0 +-a1 from a per-token lookup table (T-MAC / TL1): the
//        AVX2 / AVX-512 kernel reads block = 4 with rows = 16, where one
//        16-byte lane of a vector holds one block of 16 rows, and looks
//        every lane up in its own pair's table with one vpshufb.
//   i1 : 1 bit per weight, 8 per byte, bit 1 -> +1, bit 0 -> -1 (binary
//        weights only). Weight j of a block sits in byte j % S at bit j / S
//        (lsb) or 7 - j / S (msb); block = 8, lsb is Q1_0's qs[16] (bit j of a
//        group in byte j / 8 at bit j % 8).
//
// Row interleaving (`rows` = R > 1, a power of two, any packed encoding): the
// matrix is stored as groups of R consecutive rows (the last group may have
// fewer, G rows), and within a group the packed blocks of its rows alternate:
// block b of row r of the group sits at byte (b * G + r) * S of the group. A
// group occupies G whole packed rows, so the matrix keeps its [N, P] shape; a
// matrix-vector kernel that computes R rows at a time then reads one
// contiguous stream instead of R streams a row apart.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_SUPPORT_PACKING_H
#define TERN_SUPPORT_PACKING_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tern {

/// How low-bit values are encoded into bytes.
enum class Encoding : uint8_t { I8 = 0, I2 = 1, B3 = 2, I1 = 3, Lut = 4 };

/// Which end of a byte holds the first group of a block (i2 and i1 only).
enum class BitOrder : uint8_t { Lsb = 0, Msb = 1 };

/// The value domain of low-bit weights.
enum class WeightKind : uint8_t { Ternary = 0, Binary = 1 };

std::string_view toString(Encoding encoding);
std::string_view toString(BitOrder order);
std::string_view toString(WeightKind kind);
std::optional<Encoding> parseEncoding(std::string_view text);
std::optional<BitOrder> parseBitOrder(std::string_view text);
std::optional<WeightKind> parseWeightKind(std::string_view text);

/// A physical packing layout along the reduction dimension K.
struct Layout {
  Encoding encoding = Encoding::I8;
  int64_t block = 1;
  BitOrder order = BitOrder::Lsb;
  /// Rows interleaved block by block (1: row after row).
  int64_t rows = 1;

  /// Weights stored per byte: 1, 4 (i2, lut), 5 or 8.
  static int64_t valuesPerByte(Encoding encoding);
  int64_t valuesPerByte() const { return valuesPerByte(encoding); }
  /// The smallest (and default) block of an encoding: one byte's worth.
  static int64_t minBlock(Encoding encoding) { return valuesPerByte(encoding); }

  /// Bytes one packed row of `k` weights occupies (K padded to whole blocks).
  int64_t packedRowBytes(int64_t k) const;
  /// Bytes of one packed block (S).
  int64_t blockBytes() const { return block / valuesPerByte(); }
  /// Byte offset of the first block of packed row `row` in a matrix of
  /// `rowBytes`-byte rows.
  int64_t rowOffset(int64_t row, int64_t rowBytes) const;
  /// Bytes from one block of row `row` of an `n`-row matrix to its next.
  int64_t blockStride(int64_t row, int64_t n) const;
  /// Whether this layout can store every value of `kind` (all but i1 hold
  /// ternary and binary values; i1 holds binary only).
  bool canHold(WeightKind kind) const;
  /// Checks the parameters; on failure returns false and says why.
  bool verify(std::string *why) const;

  /// Parses a spec ENCODING[:BLOCK][:ORDER][:rows=R] (`ternc --layout`);
  /// on failure returns nullopt and says why.
  static std::optional<Layout> parse(std::string_view spec, std::string *why);
  /// The spec parse() reads back: ENCODING:BLOCK, then the order where it
  /// is msb and rows=R where R > 1 (e.g. "i2:256:rows=8").
  std::string spec() const;

  bool operator==(const Layout &other) const {
    return encoding == other.encoding && block == other.block &&
           order == other.order && rows == other.rows;
  }
  bool operator!=(const Layout &other) const { return !(*this == other); }
};

/// Packs one row of `k` weight values into `layout.packedRowBytes(k)` bytes at
/// `out`. Returns -1 on success, or the index of the first value the layout
/// cannot represent (e.g. 0 in an i1 layout, 2 in an i2 layout); `out` is then
/// partially written.
int64_t packRow(const Layout &layout, const int8_t *values, int64_t k,
                uint8_t *out);

/// Unpacks one row of `k` weights from `layout.packedRowBytes(k)` bytes.
void unpackRow(const Layout &layout, const uint8_t *packed, int64_t k,
               int8_t *out);

/// Whole-matrix forms: `rows` rows of `k` weights, `rows *
/// layout.packedRowBytes(k)` bytes, rows interleaved as the layout says.
/// packMatrix returns -1 or the flat index (row * k + col) of the first value
/// that does not fit.
int64_t packMatrix(const Layout &layout, const int8_t *values, int64_t rows,
                   int64_t k, uint8_t *out);
void unpackMatrix(const Layout &layout, const uint8_t *packed, int64_t rows,
                  int64_t k, int8_t *out);

} // namespace tern

#endif // TERN_SUPPORT_PACKING_H
