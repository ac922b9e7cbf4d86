//===- Packing.cpp - Low-bit weight packing layouts -----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Reference packers and unpackers for the layouts documented in Packing.h.
// They favour clarity over speed: they run at compile time on constant weights
// and serve as the oracle for the generated kernels.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Packing.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace tern {

std::string_view toString(Encoding encoding) {
  switch (encoding) {
  case Encoding::I8:
    return "i8";
  case Encoding::I2:
    return "i2";
  case Encoding::B3:
    return "b3";
  case Encoding::I1:
    return "i1";
  case Encoding::Lut:
    return "lut";
  }
  return "?";
}

std::string_view toString(BitOrder order) {
  return order == BitOrder::Lsb ? "lsb" : "msb";
}

std::string_view toString(WeightKind kind) {
  return kind == WeightKind::Ternary ? "ternary" : "binary";
}

std::optional<Encoding> parseEncoding(std::string_view text) {
  for (Encoding e : {Encoding::I8, Encoding::I2, Encoding::B3, Encoding::I1,
                     Encoding::Lut})
    if (text == toString(e))
      return e;
  return std::nullopt;
}

std::optional<BitOrder> parseBitOrder(std::string_view text) {
  for (BitOrder o : {BitOrder::Lsb, BitOrder::Msb})
    if (text == toString(o))
      return o;
  return std::nullopt;
}

std::optional<WeightKind> parseWeightKind(std::string_view text) {
  for (WeightKind k : {WeightKind::Ternary, WeightKind::Binary})
    if (text == toString(k))
      return k;
  return std::nullopt;
}

int64_t Layout::valuesPerByte(Encoding encoding) {
  switch (encoding) {
  case Encoding::I8:
    return 1;
  case Encoding::I2:
  case Encoding::Lut:
    return 4;
  case Encoding::B3:
    return 5;
  case Encoding::I1:
    return 8;
  }
  return 1;
}

int64_t Layout::packedRowBytes(int64_t k) const {
  // Written so that no intermediate overflows for any non-negative k.
  int64_t blocks = k / block + (k % block != 0);
  return blocks * (block / valuesPerByte());
}

int64_t Layout::rowOffset(int64_t row, int64_t rowBytes) const {
  const int64_t first = row / rows * rows; // first row of the group
  return first * rowBytes + (row - first) * blockBytes();
}

int64_t Layout::blockStride(int64_t row, int64_t n) const {
  const int64_t first = row / rows * rows;
  return std::min(rows, n - first) * blockBytes();
}

bool Layout::canHold(WeightKind kind) const {
  // Every encoding but i1 has a code for 0, -1 and +1; i1 has no zero.
  return encoding != Encoding::I1 || kind == WeightKind::Binary;
}

/// Largest block accepted: a block is a unit of register-level unpacking, and
/// anything above this is a typo rather than a layout.
static constexpr int64_t kMaxBlock = int64_t(1) << 16;
/// Largest row interleave accepted (a register tile of rows, not a matrix).
static constexpr int64_t kMaxRows = 64;

bool Layout::verify(std::string *why) const {
  auto fail = [&](std::string message) {
    if (why)
      *why = std::move(message);
    return false;
  };
  int64_t perByte = valuesPerByte();
  if (encoding == Encoding::I8 && block != 1)
    return fail("an i8 layout stores one weight per byte and takes no block");
  if (block < perByte || block > kMaxBlock || block % perByte != 0)
    return fail("block " + std::to_string(block) + " of an " +
                std::string(toString(encoding)) +
                " layout must be a multiple of " + std::to_string(perByte) +
                " between " + std::to_string(perByte) + " and " +
                std::to_string(kMaxBlock));
  if ((encoding == Encoding::I8 || encoding == Encoding::B3 ||
       encoding == Encoding::Lut) &&
      order != BitOrder::Lsb)
    return fail("bit order applies to i2 and i1 layouts only");
  if (rows < 1 || rows > kMaxRows || (rows & (rows - 1)) != 0)
    return fail("rows " + std::to_string(rows) +
                " must be a power of two between 1 and " +
                std::to_string(kMaxRows));
  if (encoding == Encoding::I8 && rows != 1)
    return fail("an i8 layout stores rows one after another and takes no rows");
  return true;
}

std::optional<Layout> Layout::parse(std::string_view spec, std::string *why) {
  auto fail = [&](std::string message) -> std::optional<Layout> {
    if (why)
      *why = std::move(message);
    return std::nullopt;
  };
  const std::string text(spec);
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t colon = spec.find(':', start);
    parts.push_back(spec.substr(start, colon - start));
    if (colon == std::string_view::npos)
      break;
    start = colon + 1;
  }
  std::optional<Encoding> encoding = parseEncoding(parts[0]);
  if (!encoding || parts.size() > 4)
    return fail("'" + text +
                "' is not a layout; expected ENCODING[:BLOCK][:ORDER][:rows=R] "
                "with ENCODING one of i8, i2, b3, i1, lut (e.g. i2:256, "
                "i2:128:msb, i2:256:rows=8, lut:4:rows=16)");
  // A decimal count, or nullopt.
  auto count = [](std::string_view digits) -> std::optional<int64_t> {
    if (digits.empty() || digits.size() > 18)
      return std::nullopt;
    int64_t value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9')
        return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  };
  Layout layout{*encoding, minBlock(*encoding), BitOrder::Lsb};
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (std::optional<BitOrder> order = parseBitOrder(part)) {
      layout.order = *order;
    } else if (part.substr(0, 5) == "rows=") {
      std::optional<int64_t> rows = count(part.substr(5));
      if (!rows)
        return fail("'" + std::string(part) + "' in layout '" + text +
                    "' is not a row count");
      layout.rows = *rows;
    } else if (std::optional<int64_t> block = count(part)) {
      layout.block = *block;
    } else {
      return fail("'" + std::string(part) + "' in layout '" + text +
                  "' is neither a block size, lsb/msb nor rows=R");
    }
  }
  std::string invalid;
  if (!layout.verify(&invalid))
    return fail("layout '" + text + "': " + invalid);
  return layout;
}

std::string Layout::spec() const {
  std::string text =
      std::string(toString(encoding)) + ":" + std::to_string(block);
  if (order != BitOrder::Lsb)
    text += ":" + std::string(toString(order));
  if (rows > 1)
    text += ":rows=" + std::to_string(rows);
  return text;
}

// Powers of three as the multipliers that bring base-3 digit n of a TQ1_0-style
// byte to the top of the byte.
static constexpr uint8_t kPow3[5] = {1, 3, 9, 27, 81};

int64_t packRow(const Layout &layout, const int8_t *values, int64_t k,
                uint8_t *out) {
  const int64_t perByte = layout.valuesPerByte();
  const int64_t stride = layout.block / perByte; // bytes per block (S)
  const int64_t bytes = layout.packedRowBytes(k);
  const int64_t paddedK = bytes * perByte;

  if (layout.encoding == Encoding::I8) {
    std::memcpy(out, values, k);
    return -1;
  }

  if (layout.encoding == Encoding::B3) {
    for (int64_t byte = 0; byte < bytes; ++byte) {
      const int64_t blockStart = (byte / stride) * layout.block;
      const int64_t lane = byte % stride;
      unsigned number = 0;
      for (int64_t digit = 0; digit < 5; ++digit) {
        int64_t index = blockStart + digit * stride + lane;
        int v = index < k ? values[index] : 0;
        if (v < -1 || v > 1)
          return index;
        number = number * 3 + unsigned(v + 1);
      }
      out[byte] = uint8_t((number * 256 + 242) / 243);
    }
    return -1;
  }

  if (layout.encoding == Encoding::Lut) {
    // Pair p of a block: byte p % S, nibble p / S.
    std::memset(out, 0, bytes);
    for (int64_t index = 0; index < paddedK; index += 2) {
      int v0 = index < k ? values[index] : 0;
      int v1 = index + 1 < k ? values[index + 1] : 0;
      if (v0 < -1 || v0 > 1)
        return index;
      if (v1 < -1 || v1 > 1)
        return index + 1;
      const int64_t blockStart = (index / layout.block) * layout.block;
      const int64_t pair = (index - blockStart) / 2;
      const int64_t byte = blockStart / perByte + pair % stride;
      out[byte] |= uint8_t((3 * (v0 + 1) + (v1 + 1)) << (4 * (pair / stride)));
    }
    return -1;
  }

  const int bits = layout.encoding == Encoding::I2 ? 2 : 1;
  std::memset(out, 0, bytes);
  for (int64_t index = 0; index < paddedK; ++index) {
    int v = index < k ? values[index] : (bits == 2 ? 0 : -1);
    unsigned code;
    if (bits == 2) {
      if (v < -1 || v > 1)
        return index;
      code = unsigned(v + 1);
    } else {
      if (v != -1 && v != 1)
        return index;
      code = v > 0 ? 1u : 0u;
    }
    const int64_t blockStart = (index / layout.block) * layout.block;
    const int64_t j = index - blockStart;
    const int64_t byte = blockStart / perByte + j % stride;
    const int64_t group = j / stride;
    const int64_t shift = layout.order == BitOrder::Lsb
                              ? bits * group
                              : 8 - bits - bits * group;
    out[byte] |= uint8_t(code << shift);
  }
  return -1;
}

void unpackRow(const Layout &layout, const uint8_t *packed, int64_t k,
               int8_t *out) {
  const int64_t perByte = layout.valuesPerByte();
  const int64_t stride = layout.block / perByte;

  if (layout.encoding == Encoding::I8) {
    std::memcpy(out, packed, k);
    return;
  }

  const int bits = layout.encoding == Encoding::I1 ? 1 : 2;
  for (int64_t index = 0; index < k; ++index) {
    const int64_t blockStart = (index / layout.block) * layout.block;
    const int64_t j = index - blockStart;
    const uint8_t byte = packed[blockStart / perByte + j % stride];
    const int64_t group = j / stride;
    if (layout.encoding == Encoding::B3) {
      uint8_t q = uint8_t(byte * kPow3[group]);
      out[index] = int8_t(((unsigned(q) * 3) >> 8) - 1);
      continue;
    }
    if (layout.encoding == Encoding::Lut) {
      const int64_t pair = j / 2;
      unsigned nibble = (packed[blockStart / perByte + pair % stride] >>
                         (4 * (pair / stride))) & 15u;
      if (nibble > 8)
        nibble = 4; // never written: two zero weights
      out[index] = int8_t(int(j % 2 ? nibble % 3 : nibble / 3) - 1);
      continue;
    }
    const int64_t shift = layout.order == BitOrder::Lsb
                              ? bits * group
                              : 8 - bits - bits * group;
    unsigned code = (byte >> shift) & ((1u << bits) - 1);
    out[index] = bits == 2 ? int8_t(int(code) - 1) : int8_t(code ? 1 : -1);
  }
}

// Rows alone in their group (always, without interleave) are contiguous and
// packed in place; interleaved rows go through one row of scratch, whose
// blocks are then scattered (or were gathered) `blockStride` bytes apart.

int64_t packMatrix(const Layout &layout, const int8_t *values, int64_t rows,
                   int64_t k, uint8_t *out) {
  const int64_t rowBytes = layout.packedRowBytes(k), s = layout.blockBytes();
  std::vector<uint8_t> scratch(static_cast<size_t>(rowBytes));
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t offset = layout.rowOffset(r, rowBytes);
    const int64_t stride = layout.blockStride(r, rows);
    uint8_t *dst = stride == s ? out + offset : scratch.data();
    int64_t bad = packRow(layout, values + r * k, k, dst);
    if (bad >= 0)
      return r * k + bad;
    if (dst == scratch.data())
      for (int64_t b = 0; b < rowBytes / s; ++b)
        std::memcpy(out + offset + b * stride, dst + b * s, size_t(s));
  }
  return -1;
}

void unpackMatrix(const Layout &layout, const uint8_t *packed, int64_t rows,
                  int64_t k, int8_t *out) {
  const int64_t rowBytes = layout.packedRowBytes(k), s = layout.blockBytes();
  std::vector<uint8_t> scratch(static_cast<size_t>(rowBytes));
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t offset = layout.rowOffset(r, rowBytes);
    const int64_t stride = layout.blockStride(r, rows);
    const uint8_t *src = packed + offset;
    if (stride != s) {
      for (int64_t b = 0; b < rowBytes / s; ++b)
        std::memcpy(scratch.data() + b * s, src + b * stride, size_t(s));
      src = scratch.data();
    }
    unpackRow(layout, src, k, out + r * k);
  }
}

} // namespace tern
