//===- MatmulKernel.cpp - Generated low-bit matmul microkernels -----------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Emits the tern.matmul microkernel as scf/arith/vector/llvm IR. Structure:
//
//  tern_matmul_<tag>        copies the activations into a zero-padded buffer
//                           (K rounded up to a whole k-step) and sums each row,
//                           then runs the task over (group of NR-row weight
//                           tiles, block of 64 tokens) pairs through the
//                           runtime's parallel-for: decode splits over weight
//                           rows, prefill over weight rows and tokens.
//  tern_matmul_<tag>_task   for its tasks: [unless the weights are unpacked in
//                           registers, decodes the tile's rows to codes in a
//                           scratch buffer], then for each MR-row tile of
//                           tokens computes the MR x NR blocks of every weight
//                           tile of the group, each with MR * NR vector
//                           accumulators held in registers across the whole
//                           K loop. A group is as many tiles as fit in L1
//                           beside the token tile, so each activation byte
//                           comes from L2 once per group instead of once per
//                           tile.
//
// A matrix-vector variant (`_gemv`, for a static single row of activations:
// decode) uses taller tiles of weight rows (8 on AVX-512) and prefetches the
// packed weights of the next tile, since every byte streams from memory.
//
// The lookup-table kernel (layout lut:4:rows=16 on AVX2 / AVX-512, the T-MAC
// / TL1 method): the outer function builds, per token, the nine sums
// (w0 * a0 + w1 * a1 for w in {-1, 0, 1}) of every pair of activations as
// 16-entry tables of int16 split into a low-byte and a high-byte table; the
// task reads a vector of weight indices (one 16-byte lane = one block of 16
// rows, i.e. one pair per nibble for each row), looks each lane up in its
// pair's tables with vpshufb, joins low and high bytes into int16 with
// unpack, and adds into int16 accumulators (16 rows x lanes pairs), widened
// to int32 every 64 steps before they could overflow (|sum| <= 64 * 2 *
// 254). Indices never written (9..15) look up zero.
//
// Inner loop, one k-step = 4 vectors of activations per row: the weight codes
// of a vector come either from the packed bytes in registers (i2 layout with
// block = 4 * vector bytes: one load, then (byte >> 2s) & 3 for s = 0..3) or
// from the scratch buffer (every other layout). The dot product is vpdpbusd
// (AVX-512 VNNI), vpmaddubsw + vpmaddwd (AVX2), widening multiply-add
// (portable), and on AArch64 smull + sadalp (NEON), sdot (+dotprod), or for
// prefill tiles smmla (+i8mm), whose 2 x 2 blocks of outputs take pairs of
// token rows and of weight rows zipped by 64-bit halves. The lookup-table
// kernel reads its tables with tbl there. The codes are shifted out as 16-bit lanes (x86 has no byte
// shift; the emulation LLVM picks, GFNI, competes with vpdpbusd for ports)
// and masked to 2 bits (NEON shifts bytes). Codes are w + 1 in 0..2 (or 3 for an i2 code never written by
// tern.pack), so code * a is exact and vpmaddubsw never saturates: each of its
// i16 lanes sums two products of at most 3 * 128, and four of them are summed
// before widening.
//
//===----------------------------------------------------------------------===//
#include "tern/Conversion/TernToKernels/MatmulKernel.h"
#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::tern;

std::optional<DotIsa> mlir::tern::parseDotIsa(StringRef name) {
  return llvm::StringSwitch<std::optional<DotIsa>>(name)
      .Case("avx512vnni", DotIsa::Avx512Vnni)
      .Case("avx2", DotIsa::Avx2)
      .Case("portable", DotIsa::Portable)
      .Case("neon", DotIsa::Neon)
      .Case("dotprod", DotIsa::NeonDot)
      .Case("i8mm", DotIsa::NeonI8mm)
      .Default(std::nullopt);
}

StringRef mlir::tern::stringifyDotIsa(DotIsa isa) {
  switch (isa) {
  case DotIsa::Avx512Vnni:
    return "avx512vnni";
  case DotIsa::Avx2:
    return "avx2";
  case DotIsa::Portable:
    return "portable";
  case DotIsa::Neon:
    return "neon";
  case DotIsa::NeonDot:
    return "dotprod";
  case DotIsa::NeonI8mm:
    return "i8mm";
  }
  return "portable";
}

StringRef mlir::tern::describeDotIsa(DotIsa isa) {
  switch (isa) {
  case DotIsa::Avx512Vnni:
    return "vpdpbusd, 4x4 tiles, 8-row GEMV (AVX-512 VNNI)";
  case DotIsa::Avx2:
    return "vpmaddubsw + vpmaddwd, 2x2 tiles (AVX2)";
  case DotIsa::Portable:
    return "widening multiply-add on 128-bit vectors (any CPU)";
  case DotIsa::Neon:
    return "smull + sadalp, 2x2 tiles (NEON)";
  case DotIsa::NeonDot:
    return "sdot, 4x4 tiles (+dotprod)";
  case DotIsa::NeonI8mm:
    return "smmla 2x2 blocks in 4x4 tiles, sdot GEMV (+i8mm)";
  }
  return "";
}

int64_t mlir::tern::vectorBytes(DotIsa isa) {
  switch (isa) {
  case DotIsa::Avx512Vnni:
    return 64;
  case DotIsa::Avx2:
    return 32;
  case DotIsa::Portable:
  case DotIsa::Neon:
  case DotIsa::NeonDot:
  case DotIsa::NeonI8mm:
    return 16;
  }
  return 16;
}

std::string MatmulKernelSpec::tag() const {
  std::string tag = (stringifyDotIsa(isa) + "_" +
                     ::tern::toString(layout.encoding) + "_" +
                     std::to_string(layout.block))
                        .str();
  // Only i2 and i1 have a bit order.
  if (layout.encoding == ::tern::Encoding::I2 ||
      layout.encoding == ::tern::Encoding::I1)
    tag += "_" + std::string(::tern::toString(layout.order));
  if (layout.rows > 1)
    tag += "_r" + std::to_string(layout.rows);
  if (gemv)
    tag += "_gemv";
  if (dequantize)
    tag += "_dq";
  if (residual)
    tag += "_res";
  if (groupSize)
    tag += "_g" + std::to_string(groupSize);
  if (maskSelect)
    tag += "_ms";
  return tag;
}

namespace {

/// Weight rows per tile of the AVX-512 matrix-vector kernel.
constexpr int64_t kGemvRows = 8;

/// Register tile sizes: MR activation rows x NR weight rows of accumulators.
/// NR is a power of two, like a layout's row interleave.
struct TileShape {
  int64_t mr, nr;
};

/// Rows of the lookup-table kernel's tile: one vpshufb lane of bytes.
constexpr int64_t kLutRows = 16;

TileShape tileShape(DotIsa isa, bool gemv, bool lut) {
  if (lut)
    return {1, kLutRows};
  if (gemv)
    return {1, isa == DotIsa::Avx512Vnni ? kGemvRows : 4};
  switch (isa) {
  case DotIsa::Avx512Vnni:
    return {4, 4}; // 16 accumulators + 4 code vectors + loads of 32 zmm
  case DotIsa::Avx2:
    return {2, 2}; // 4 accumulators + 4 partial sums + codes of 16 ymm
  case DotIsa::Portable:
  case DotIsa::Neon:
    return {2, 2};
  case DotIsa::NeonDot:
    return {4, 4}; // 16 accumulators + 4 codes + 4 activations of 32 q regs
  case DotIsa::NeonI8mm:
    return {4, 4}; // 4 smmla blocks of 2 x 2
  }
  return {1, 1};
}

// Slots of the closure the outer kernel passes to the task (all i64; pointers
// stored as integers).
enum Slot : int64_t {
  kApad,
  kKpad,
  kAsum,
  kW,
  kLdw,
  kC,
  kLdc,
  kM,
  kN,
  kK,
  kGroupTiles,
  kRowScale,
  kColScale,
  kColStride,
  kResidual,
  kLdResidual,
  kLut,
  kLutBytes,
  kAsumGroups,
  kNumSlots
};

class KernelBuilder : KernelEmitter {
public:
  KernelBuilder(ModuleOp module, const MatmulKernelSpec &spec)
      : KernelEmitter(module), spec(spec), vl(vectorBytes(spec.isa)),
        lutPath(spec.isa != DotIsa::Portable &&
                spec.layout.encoding == ::tern::Encoding::Lut &&
                spec.layout.block == 4 && spec.layout.rows == kLutRows &&
                !spec.groupSize),
        tile(tileShape(spec.isa, spec.gemv, lutPath)) {
    // 1-bit signs unpack in registers from blocks of 8 vectors (bit s of
    // each byte is sub-vector s), 2-bit codes from blocks of 4.
    bits = spec.layout.encoding == ::tern::Encoding::I1 ? 1 : 2;
    subVectors = 8 / bits;
    kStep = subVectors * vl;
    fastPath = (spec.layout.encoding == ::tern::Encoding::I2 ||
                spec.layout.encoding == ::tern::Encoding::I1) &&
               spec.layout.block == kStep;
    if (!fastPath) {
      subVectors = 4;
      kStep = 4 * vl;
    }
    // In registers a sign bit is the code (0 or 1) of w = 2 * code - 1;
    // decoded codes are w + 1.
    codeScale = fastPath && bits == 1 ? 2 : 1;
    maskSelect = spec.maskSelect && fastPath && bits == 1 &&
                 spec.isa == DotIsa::Avx512Vnni;
    lanes = vl / 16;
    // The lookup-table kernel steps over one vector of indices: `lanes`
    // blocks of 4 weights for all 16 rows.
    if (lutPath)
      kStep = 4 * lanes;
  }

  func::FuncOp build();

private:
  /// Tasks split the tokens (rows of activations) into blocks of kMBlock, so
  /// a prefill with few weight rows still spreads over the threads.
  static constexpr int64_t kMBlock = 64;
  /// How many NR-row tiles ahead the decode loop prefetches weights: the
  /// next tile measured best here (1T GEMV 81-91% of the read bandwidth,
  /// against 77-80% four tiles ahead).
  static constexpr int64_t kPrefetchTiles = 1;
  /// The L1 bytes a prefill task keeps hot: an MR-row tile of activations
  /// and its group of packed weight tiles; and the most tiles a group has.
  static constexpr int64_t kL1Bytes = 32 << 10;
  static constexpr int64_t kMaxGroupTiles = 8;
  Value mBlockCount(Value m) {
    Value blocks = divui(addi(m, cI64(kMBlock - 1)), cI64(kMBlock));
    return arith::MaxUIOp::create(b, loc, blocks, cI64(1));
  }
  Value splat(Type elem, int64_t value, int64_t lanes) {
    return intSplat(elem, value, lanes);
  }

  void emitCopyActivations(Value a, Value lda, Value apad, Value kpad,
                           Value asum, Value m, Value k);
  LLVM::LLVMFuncOp buildTask();
  /// Where packed weight row `row` starts, and the bytes from one of its
  /// blocks to the next (the layout's row interleave; see Packing.h).
  Value groupFirstRow(Value row) {
    return arith::AndIOp::create(b, loc, row, cI64(~(spec.layout.rows - 1)));
  }
  Value packedRowOffset(Value row, Value ldw);
  Value packedBlockStride(Value row, Value n);
  void emitDecodeRow(Value w, Value ldw, Value row, Value n, Value k,
                     Value kpad, Value dst);
  /// `rows[r]` points at weight row n0 + r: its packed bytes on the fast
  /// path, its decoded codes otherwise. On the fast path, consecutive k-steps
  /// of a row are `blockStride` bytes apart and the loop prefetches
  /// `prefetchAhead` bytes ahead.
  void emitTile(int64_t mr, int64_t nr, Value m0, Value n0, Value apad,
                Value kpad, Value asum, ArrayRef<Value> rows,
                Value blockStride, Value prefetchAhead, Value c, Value ldc);
  SmallVector<Value> accumulate(
      int64_t mr, int64_t nr, Value kBegin, Value kEnd, Value zero,
      function_ref<SmallVector<SmallVector<Value, 8>>(Value)> tileCodes,
      function_ref<SmallVector<Value, 8>(int64_t, Value)> tileActs);
  Value accumulateMmla(
      int64_t mr, int64_t nr, Value kpad, Value zero,
      function_ref<SmallVector<SmallVector<Value, 8>>(Value)> tileCodes,
      function_ref<SmallVector<Value, 8>(int64_t, Value)> tileActs);
  Value sumInChunks(ArrayRef<Value> accs);
  /// The tile of the group-scaled variant (see emitTile's lambdas).
  void emitGroupedTile(
      int64_t mr, int64_t nr, Value m0, Value n0, Value kpad, Value asum,
      Value c, Value ldc,
      function_ref<SmallVector<SmallVector<Value, 8>>(Value)> tileCodes,
      function_ref<SmallVector<Value, 8>(int64_t, Value)> tileActs);
  /// The group-scaled variant's correction of output (row, col):
  /// sum_g scale[col, g] * asum[row, g].
  Value groupCorrection(Value row, Value col, Value asum);
  void storeTile(Value sums, int64_t mr, int64_t nr, Value m0, Value n0,
                 Value asum, Value c, Value ldc);
  /// Stores output (row, col) from its i32 sum: as is, or dequantized.
  void storeOutput(Value sum, Value row, Value col, Value c, Value ldc);
  Value dotStep(Value acc, ArrayRef<Value> codes, ArrayRef<Value> acts);
  /// The accumulator of one output: i32 lanes, one per 4 bytes for
  /// vpdpbusd and vpmaddwd, one per byte for the portable widening path.
  Type accType() const {
    int64_t lanes = spec.isa == DotIsa::Portable ? vl : vl / 4;
    return VectorType::get({lanes}, i32);
  }

  /// The lookup-table kernel (see the file comment): lut(i) = the tables of
  /// token i, 4 vectors per step of `lanes` blocks: [low nibbles: low bytes,
  /// high bytes][high nibbles: low bytes, high bytes], lane L of each the
  /// 16-entry table of block (step * lanes + L)'s pair.
  void emitBuildLut(Value apad, Value kpad, Value m, Value lut,
                    Value lutBytes);
  void emitLutTile(int64_t nr, Value m0, Value n0, Value rows,
                   Value blockStride, Value prefetchAhead, Value ldw, Value n,
                   Value c, Value ldc);
  /// The sum over blocks [b0, b1) of one weight row (its blocks
  /// `blockStride` bytes apart from `row`) looked up one index at a time.
  Value emitLutRowSum(Value row, Value blockStride, Value b0, Value b1,
                      Value lutRow);
  /// Byte of entry `index` of the low-byte table of `block`'s pair in
  /// `nibble` (0: low, 1: high) within one token's tables.
  Value lutEntryOffset(Value block, Value nibble, Value index);

  MatmulKernelSpec spec;
  int64_t vl, kStep, lanes;
  /// Bits per weight unpacked in registers, and sub-vectors of codes a
  /// k-step: 4 of 2-bit codes, 8 of sign bits.
  int64_t bits = 2, subVectors = 4;
  /// w = codeScale * code - 1 for the codes the inner loop multiplies.
  int64_t codeScale = 1;
  /// Sign bits as byte masks selecting activations (spec.maskSelect, where
  /// it applies).
  bool maskSelect = false;
  bool lutPath;
  TileShape tile;
  bool fastPath;
  /// The lookup-table kernel's tables and their bytes per token.
  Value lut, lutBytes;
  /// The dequantizing variant's scales and the residual variant's addend,
  /// read from the closure by the task.
  Value rowScale, colScale, colStride, residual, ldResidual;
  /// The group-scaled variant's activation sums per group: asum holds
  /// `asumGroups` i32 a token.
  Value asumGroups;
};

} // namespace

/// i2 in blocks of one k-step of the kernel (one load and four shifts per
/// four vectors of codes), the rows interleaved as the matrix-vector kernel
/// computes them, so that decode streams one run of bytes per tile.
::tern::Layout mlir::tern::preferredLayout(DotIsa isa) {
  return {::tern::Encoding::I2, 4 * vectorBytes(isa), ::tern::BitOrder::Lsb,
          tileShape(isa, /*gemv=*/true, /*lut=*/false).nr};
}

::tern::Layout mlir::tern::preferredBinaryLayout(DotIsa isa) {
  return {::tern::Encoding::I1, 8 * vectorBytes(isa), ::tern::BitOrder::Lsb,
          tileShape(isa, /*gemv=*/true, /*lut=*/false).nr};
}

bool mlir::tern::groupSizeSupported(DotIsa isa, const ::tern::Layout &layout,
                                    int64_t groupSize) {
  const int64_t vl = vectorBytes(isa);
  const bool ones = layout.encoding == ::tern::Encoding::I1 &&
                    layout.block == 8 * vl;
  const int64_t kStep = (ones ? 8 : 4) * vl;
  return groupSize > 0 && groupSize % vl == 0 &&
         (groupSize % kStep == 0 || kStep % groupSize == 0);
}

/// apad[i, 0:kpad] = a[i, 0:k] zero-padded; asum[i] = sum_k a[i, k]. Whole
/// vectors of a row are copied and summed in i32 lanes, the tail one byte
/// at a time.
void KernelBuilder::emitCopyActivations(Value a, Value lda, Value apad,
                                        Value kpad, Value asum, Value m,
                                        Value k) {
  Value zero = cIdx(0), one = cIdx(1);
  Value zero8 = arith::ConstantIntOp::create(b, loc, i8, 0);
  auto byteVec = VectorType::get({vl}, i8);
  auto wideVec = VectorType::get({vl}, i32);
  Value zeroWide = arith::ConstantOp::create(
      b, loc, wideVec, DenseElementsAttr::get(wideVec, b.getI32IntegerAttr(0)));
  Value kVec = muli(divui(k, cI64(vl)), cI64(vl));
  auto rows = scf::ForOp::create(b, loc, zero, toIdx(m), one);
  b.setInsertionPointToStart(rows.getBody());
  Value i = rows.getInductionVar();
  Value srcRow = muli(toI64(i), lda);
  Value dstRow = muli(toI64(i), kpad);
  // Copies [lo, hi) `lanes` bytes at a time, adding them to `sum` (i32, or
  // i32 lanes).
  auto copyAndSum = [&](Value lo, Value hi, int64_t lanes, Value sum) {
    Type bytes = lanes == 1 ? i8 : Type(byteVec);
    Type wide = lanes == 1 ? i32 : Type(wideVec);
    auto loop = scf::ForOp::create(b, loc, toIdx(lo), toIdx(hi), cIdx(lanes),
                                   ValueRange{sum});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value j = toI64(loop.getInductionVar());
    Value v = load(bytes, a, i8, addi(srcRow, j));
    store(v, apad, i8, addi(dstRow, j));
    scf::YieldOp::create(b, loc,
                         addi(loop.getRegionIterArg(0),
                              arith::ExtSIOp::create(b, loc, wide, v)));
    return loop.getResult(0);
  };
  Value vectorSum = vector::ReductionOp::create(
      b, loc, vector::CombiningKind::ADD,
      copyAndSum(cI64(0), kVec, vl, zeroWide));
  Value rowSum = copyAndSum(kVec, k, 1, vectorSum);
  auto pad = scf::ForOp::create(b, loc, toIdx(k), toIdx(kpad), one);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(pad.getBody());
    store(zero8, apad, i8, addi(dstRow, toI64(pad.getInductionVar())));
  }
  if (!spec.groupSize) {
    store(rowSum, asum, i32, i);
    b.setInsertionPointAfter(rows);
    return;
  }
  // The group-scaled variant: one sum per group of the padded row (whole
  // vectors, as groups are).
  const int64_t group = spec.groupSize;
  Value groups = divui(addi(kpad, cI64(group - 1)), cI64(group));
  auto groupLoop = scf::ForOp::create(b, loc, zero, toIdx(groups), one);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(groupLoop.getBody());
    Value g = toI64(groupLoop.getInductionVar());
    Value begin = muli(g, cI64(group));
    Value end = arith::MinUIOp::create(b, loc, addi(begin, cI64(group)), kpad);
    auto sumLoop = scf::ForOp::create(b, loc, toIdx(begin), toIdx(end),
                                      cIdx(vl), ValueRange{zeroWide});
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(sumLoop.getBody());
      Value v = load(byteVec, apad, i8,
                     addi(dstRow, toI64(sumLoop.getInductionVar())));
      scf::YieldOp::create(b, loc,
                           addi(sumLoop.getRegionIterArg(0),
                                arith::ExtSIOp::create(b, loc, wideVec, v)));
    }
    Value sum = vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD,
                                            sumLoop.getResult(0));
    // As f32 (exact: |sum| <= 128 * G < 2^24), for the kernels' float
    // correction.
    store(arith::SIToFPOp::create(b, loc, f32, sum), asum, f32,
          addi(muli(toI64(i), groups), g));
  }
  b.setInsertionPointAfter(rows);
}

Value KernelBuilder::packedRowOffset(Value row, Value ldw) {
  const int64_t rows = spec.layout.rows;
  if (rows == 1)
    return muli(row, ldw);
  Value first = groupFirstRow(row);
  return addi(muli(first, ldw),
              muli(subi(row, first), cI64(spec.layout.blockBytes())));
}

Value KernelBuilder::packedBlockStride(Value row, Value n) {
  const int64_t rows = spec.layout.rows;
  if (rows == 1)
    return cI64(spec.layout.blockBytes());
  Value groupRows =
      arith::MinUIOp::create(b, loc, cI64(rows), subi(n, groupFirstRow(row)));
  return muli(groupRows, cI64(spec.layout.blockBytes()));
}

/// dst[0:kpad] = codes (w + 1) of weight row `row` of `n`, decoded from any
/// layout; positions past k get code 1 (a zero weight).
void KernelBuilder::emitDecodeRow(Value w, Value ldw, Value row, Value n,
                                  Value k, Value kpad, Value dst) {
  const ::tern::Layout &layout = spec.layout;
  const int64_t perByte = layout.valuesPerByte();
  const int64_t stride = layout.block / perByte;
  Value rowBase = packedRowOffset(row, ldw);
  Value blockStride = packedBlockStride(row, n);
  // Base-3: whole blocks inside kpad a vector of S bytes per digit (digit g
  // of the S bytes is codes g*S .. g*S + S - 1 of the block); the rest, and
  // every other encoding, one code at a time below.
  Value start = cI64(0);
  if (layout.encoding == ::tern::Encoding::B3) {
    Value blocks = arith::MinUIOp::create(
        b, loc, divui(addi(k, cI64(layout.block - 1)), cI64(layout.block)),
        divui(kpad, cI64(layout.block)));
    auto bytesType = VectorType::get({stride}, i8);
    auto wordsType = VectorType::get({stride}, i16);
    auto blockLoop = scf::ForOp::create(b, loc, cIdx(0), toIdx(blocks), cIdx(1));
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(blockLoop.getBody());
      Value blk = toI64(blockLoop.getInductionVar());
      Value bytes = arith::ExtUIOp::create(
          b, loc, wordsType,
          load(bytesType, w, i8, addi(rowBase, muli(blk, blockStride))));
      int64_t pow3 = 1;
      for (int64_t g = 0; g < 5; ++g, pow3 *= 3) {
        Value q = arith::AndIOp::create(
            b, loc, muli(bytes, splat(i16, pow3, stride)),
            splat(i16, 255, stride));
        Value code = arith::ShRUIOp::create(
            b, loc, muli(q, splat(i16, 3, stride)), splat(i16, 8, stride));
        store(arith::TruncIOp::create(b, loc, bytesType, code), dst, i8,
              addi(muli(blk, cI64(layout.block)), cI64(g * stride)));
      }
    }
    start = muli(blocks, cI64(layout.block));
  }
  auto loop = scf::ForOp::create(b, loc, toIdx(start), toIdx(kpad), cIdx(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value j = toI64(loop.getInductionVar());
  Value inRange =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, j, k);
  auto ifOp = scf::IfOp::create(b, loc, TypeRange{i8}, inRange,
                                /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    Value code;
    if (layout.encoding == ::tern::Encoding::I8) {
      // Unpacked weights: clamp to the ternary range, then w + 1.
      Value v = load(i8, w, i8, addi(rowBase, j));
      Value lo = arith::ConstantIntOp::create(b, loc, i8, -1);
      Value hi = arith::ConstantIntOp::create(b, loc, i8, 1);
      v = arith::MaxSIOp::create(b, loc, v, lo);
      v = arith::MinSIOp::create(b, loc, v, hi);
      code = addi(v, hi);
    } else {
      Value blockIndex = arith::DivUIOp::create(b, loc, j, cI64(layout.block));
      Value jj = subi(j, muli(blockIndex, cI64(layout.block)));
      Value byteIndex = addi(muli(blockIndex, blockStride),
                             arith::RemUIOp::create(b, loc, jj, cI64(stride)));
      Value group = arith::DivUIOp::create(b, loc, jj, cI64(stride));
      Value byte = arith::ExtUIOp::create(
          b, loc, i32, load(i8, w, i8, addi(rowBase, byteIndex)));
      Value group32 = arith::TruncIOp::create(b, loc, i32, group);
      auto c32 = [&](int64_t v) {
        return arith::ConstantIntOp::create(b, loc, i32, v);
      };
      Value code32;
      if (layout.encoding == ::tern::Encoding::Lut) {
        // Pair jj / 2 of the block: byte (jj / 2) % S, nibble (jj / 2) / S;
        // indices 9..15 read as two zero weights (codes 1).
        Value pair = divui(jj, cI64(2));
        Value pairByte = addi(muli(blockIndex, blockStride),
                              arith::RemUIOp::create(b, loc, pair, cI64(stride)));
        Value nibbleShift = arith::TruncIOp::create(
            b, loc, i32, muli(divui(pair, cI64(stride)), cI64(4)));
        Value pairBits = arith::ExtUIOp::create(
            b, loc, i32, load(i8, w, i8, addi(rowBase, pairByte)));
        Value index = arith::AndIOp::create(
            b, loc, arith::ShRUIOp::create(b, loc, pairBits, nibbleShift),
            c32(15));
        index = arith::SelectOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, index,
                                  c32(8)),
            c32(4), index);
        Value second = arith::TruncIOp::create(
            b, loc, i32, arith::RemUIOp::create(b, loc, jj, cI64(2)));
        Value isSecond = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::ne, second, c32(0));
        code32 = arith::SelectOp::create(
            b, loc, isSecond, arith::RemUIOp::create(b, loc, index, c32(3)),
            arith::DivUIOp::create(b, loc, index, c32(3)));
      } else if (layout.encoding == ::tern::Encoding::B3) {
        // q = (uint8)(byte * 3^group); code = (q * 3) >> 8.
        Value pow3 = c32(1);
        for (int64_t g = 1; g < 5; ++g) {
          Value isG = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                            group32, c32(g));
          int64_t p = 1;
          for (int64_t e = 0; e < g; ++e)
            p *= 3;
          pow3 = arith::SelectOp::create(b, loc, isG, c32(p), pow3);
        }
        Value q = arith::AndIOp::create(b, loc, muli(byte, pow3), c32(255));
        code32 = arith::ShRUIOp::create(b, loc, muli(q, c32(3)), c32(8));
      } else {
        const int64_t bits = layout.encoding == ::tern::Encoding::I2 ? 2 : 1;
        Value shift = muli(group32, c32(bits));
        if (layout.order == ::tern::BitOrder::Msb)
          shift = subi(c32(8 - bits), shift);
        Value field = arith::AndIOp::create(
            b, loc, arith::ShRUIOp::create(b, loc, byte, shift),
            c32((1 << bits) - 1));
        // 1-bit: bit 1 is +1 (code 2), bit 0 is -1 (code 0).
        code32 = bits == 2 ? field : muli(field, c32(2));
      }
      code = arith::TruncIOp::create(b, loc, i8, code32);
    }
    scf::YieldOp::create(b, loc, code);
  }
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(&ifOp.getElseRegion().front());
    scf::YieldOp::create(b, loc,
                         Value(arith::ConstantIntOp::create(b, loc, i8, 1)));
  }
  store(ifOp.getResult(0), dst, i8, j);
}

/// acc += sum over the sub-vectors s of codes[s] * acts[s], in the
/// instructions of the spec's isa.
Value KernelBuilder::dotStep(Value acc, ArrayRef<Value> codes,
                             ArrayRef<Value> acts) {
  const int64_t count = int64_t(codes.size());
  switch (spec.isa) {
  case DotIsa::Avx512Vnni: {
    auto name = b.getStringAttr("llvm.x86.avx512.vpdpbusd.512");
    for (int64_t s = 0; s < count; ++s) {
      Value codesOrOnes = codes[s], signedBytes = acts[s];
      if (maskSelect) { // sum of the activations the bits select
        signedBytes = arith::SelectOp::create(b, loc, codes[s], acts[s],
                                              splat(i8, 0, vl));
        codesOrOnes = splat(i8, 1, vl);
      }
      acc = LLVM::CallIntrinsicOp::create(b, loc, acc.getType(), name,
                                          ValueRange{acc, codesOrOnes,
                                                     signedBytes})
                .getResult(0);
    }
    return acc;
  }
  case DotIsa::Avx2: {
    // Up to four vpmaddubsw results are added in i16 (each lane at most
    // 4 * 2 * 3 * 128) before one vpmaddwd widens them.
    auto v16i16 = VectorType::get({16}, i16);
    auto maddubs = b.getStringAttr("llvm.x86.avx2.pmadd.ub.sw");
    for (int64_t first = 0; first < count; first += 4) {
      Value sum;
      for (int64_t s = first; s < std::min(count, first + 4); ++s) {
        Value t = LLVM::CallIntrinsicOp::create(b, loc, v16i16, maddubs,
                                                ValueRange{codes[s], acts[s]})
                      .getResult(0);
        sum = sum ? addi(sum, t) : t;
      }
      Value ones = splat(i16, 1, 16);
      Value wide = LLVM::CallIntrinsicOp::create(
                       b, loc, acc.getType(),
                       b.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                       ValueRange{sum, ones})
                       .getResult(0);
      acc = addi(acc, wide);
    }
    return acc;
  }
  case DotIsa::Neon: {
    // smull of each half into i16 lanes, up to four sub-vectors added there
    // (each lane at most 8 * 3 * 128), then sadalp widens pairs into acc.
    auto words = VectorType::get({vl / 2}, i16);
    auto smull = b.getStringAttr("llvm.aarch64.neon.smull.v8i16");
    auto saddlp = b.getStringAttr("llvm.aarch64.neon.saddlp.v4i32.v8i16");
    auto halfOf = [&](Value v, int64_t h) -> Value {
      return vector::ExtractStridedSliceOp::create(
          b, loc, v, ArrayRef<int64_t>{h * vl / 2},
          ArrayRef<int64_t>{vl / 2}, ArrayRef<int64_t>{1});
    };
    for (int64_t first = 0; first < count; first += 4) {
      Value sum;
      for (int64_t s = first; s < std::min(count, first + 4); ++s)
        for (int64_t h = 0; h < 2; ++h) {
          Value t = LLVM::CallIntrinsicOp::create(
                        b, loc, words, smull,
                        ValueRange{halfOf(codes[s], h), halfOf(acts[s], h)})
                        .getResult(0);
          sum = sum ? addi(sum, t) : t;
        }
      acc = addi(acc, LLVM::CallIntrinsicOp::create(b, loc, acc.getType(),
                                                    saddlp, ValueRange{sum})
                          .getResult(0));
    }
    return acc;
  }
  case DotIsa::NeonDot:
  case DotIsa::NeonI8mm: {
    // Codes (0..3) are as good signed as unsigned: sdot.
    auto sdot = b.getStringAttr("llvm.aarch64.neon.sdot.v4i32.v16i8");
    for (int64_t s = 0; s < count; ++s)
      acc = LLVM::CallIntrinsicOp::create(b, loc, acc.getType(), sdot,
                                          ValueRange{acc, codes[s], acts[s]})
                .getResult(0);
    return acc;
  }
  case DotIsa::Portable: {
    auto wide = VectorType::get({vl}, i32);
    for (int64_t s = 0; s < count; ++s) {
      Value c = arith::ExtUIOp::create(b, loc, wide, codes[s]);
      Value a = arith::ExtSIOp::create(b, loc, wide, acts[s]);
      acc = addi(acc, muli(c, a));
    }
    return acc;
  }
  }
  return acc;
}

/// Computes c[m0 : m0 + mr, n0 : n0 + nr].
void KernelBuilder::emitTile(int64_t mr, int64_t nr, Value m0, Value n0,
                             Value apad, Value kpad, Value asum,
                             ArrayRef<Value> rows, Value blockStride,
                             Value prefetchAhead, Value c, Value ldc) {
  auto accTy = cast<VectorType>(accType());
  auto byteVec = VectorType::get({vl}, i8);
  Value zeroAcc = arith::ConstantOp::create(
      b, loc, accTy, DenseElementsAttr::get(accTy, b.getI32IntegerAttr(0)));
  // The codes of every weight row of the tile for the k-step at kb,
  // `subVectors` vectors each.
  auto tileCodes = [&](Value kb) {
    SmallVector<SmallVector<Value, 8>> codes(nr);
    Value packedOffset =
        fastPath ? muli(divui(kb, cI64(kStep)), blockStride) : Value();
    for (int64_t n = 0; n < nr; ++n) {
      if (!fastPath) {
        for (int64_t s = 0; s < subVectors; ++s)
          codes[n].push_back(
              load(byteVec, rows[n], i8, addi(kb, cI64(s * vl))));
        continue;
      }
      Value packed = load(byteVec, rows[n], i8, packedOffset);
      // Weights stream from memory once per token: fetch the bytes the
      // tasks read `prefetchAhead` later (the tiles of a task are
      // consecutive rows).
      LLVM::Prefetch::create(
          b, loc, gep(rows[n], i8, addi(packedOffset, prefetchAhead)),
          /*rw=*/0, /*hint=*/3, /*cache=*/1);
      Value mask = splat(i8, (1 << bits) - 1, vl);
      for (int64_t s = 0; s < subVectors; ++s) {
        int64_t shift = spec.layout.order == ::tern::BitOrder::Lsb
                            ? bits * s
                            : 8 - bits - bits * s;
        if (maskSelect) {
          // vptestmb: the bit of each byte as a lane mask.
          codes[n].push_back(arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::ne,
              arith::AndIOp::create(b, loc, packed, splat(i8, 1 << shift, vl)),
              splat(i8, 0, vl)));
          continue;
        }
        Value v = packed;
        if (shift && isAArch64(spec.isa)) {
          // NEON shifts bytes (ushr .16b): the top code needs no mask.
          v = arith::ShRUIOp::create(b, loc, v, splat(i8, shift, vl));
          if (shift == 8 - bits) {
            codes[n].push_back(v);
            continue;
          }
        } else if (shift) {
          // Shifted as 16-bit lanes (one plain shift; x86 has no byte
          // shift and emulates it with GFNI on the dot product's ports):
          // the bits a byte receives from its neighbour land above the
          // code, which the mask clears.
          auto words = VectorType::get({vl / 2}, i16);
          v = vector::BitCastOp::create(b, loc, words, v);
          v = arith::ShRUIOp::create(b, loc, v, splat(i16, shift, vl / 2));
          v = vector::BitCastOp::create(b, loc, byteVec, v);
        }
        codes[n].push_back(arith::AndIOp::create(b, loc, v, mask));
      }
    }
    return codes;
  };
  // The activations of token row m0 + m for the k-step at kb.
  auto tileActs = [&](int64_t m, Value kb) {
    Value rowBase = muli(addi(toI64(m0), cI64(m)), kpad);
    SmallVector<Value, 8> acts;
    for (int64_t s = 0; s < subVectors; ++s)
      acts.push_back(
          load(byteVec, apad, i8, addi(rowBase, addi(kb, cI64(s * vl)))));
    return acts;
  };
  if (spec.groupSize) {
    emitGroupedTile(mr, nr, m0, n0, kpad, asum, c, ldc, tileCodes, tileActs);
    return;
  }
  if (spec.isa == DotIsa::NeonI8mm && mr % 2 == 0 && nr % 2 == 0) {
    Value sums = accumulateMmla(mr, nr, kpad, zeroAcc, tileCodes, tileActs);
    if (codeScale == 2)
      sums = addi(sums, sums);
    storeTile(sums, mr, nr, m0, n0, asum, c, ldc);
    return;
  }
  SmallVector<Value> accs = accumulate(mr, nr, cI64(0), kpad, zeroAcc,
                                      tileCodes, tileActs);
  if (codeScale == 2)
    for (Value &acc : accs)
      acc = addi(acc, acc);
  if (Value sums = sumInChunks(accs)) {
    storeTile(sums, mr, nr, m0, n0, asum, c, ldc);
    return;
  }
  for (int64_t m = 0; m < mr; ++m) {
    Value row = addi(toI64(m0), cI64(m));
    Value rowSum = load(i32, asum, i32, row);
    for (int64_t n = 0; n < nr; ++n) {
      Value total = vector::ReductionOp::create(
          b, loc, vector::CombiningKind::ADD, accs[m * nr + n]);
      Value col = addi(toI64(n0), cI64(n));
      storeOutput(subi(total, rowSum), row, col, c, ldc);
    }
  }
}

/// The group-scaled tile: each group's i32 sums, less the group's
/// activation sum (exact), are converted to f32 and added times the
/// group's weight scale into f32 accumulators; a group spans whole k-steps,
/// or a k-step whole groups.
/// sum_g scale[col, g] * asum[row, g] over the row's real groups (padding
/// groups have no activations), 16 groups a step.
Value KernelBuilder::groupCorrection(Value row, Value col, Value asum) {
  auto f16Ty = VectorType::get({16}, f32);
  Value scales = gep(colScale, f32, muli(col, colStride));
  Value sums = gep(asum, f32, muli(row, asumGroups));
  Value whole = muli(divui(colStride, cI64(16)), cI64(16));
  Value zero = arith::ConstantOp::create(
      b, loc, f16Ty, DenseElementsAttr::get(f16Ty, b.getF32FloatAttr(0)));
  auto steps = scf::ForOp::create(b, loc, cIdx(0), toIdx(whole), cIdx(16),
                                  ValueRange{zero});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(steps.getBody());
    Value g = toI64(steps.getInductionVar());
    scf::YieldOp::create(
        b, loc,
        Value(LLVM::FMAOp::create(b, loc, load(f16Ty, scales, f32, g),
                                  load(f16Ty, sums, f32, g),
                                  steps.getRegionIterArg(0))));
  }
  Value total = vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD,
                                            steps.getResult(0));
  auto tail = scf::ForOp::create(b, loc, toIdx(whole), toIdx(colStride),
                                 cIdx(1), ValueRange{total});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(tail.getBody());
  Value g = toI64(tail.getInductionVar());
  scf::YieldOp::create(
      b, loc,
      Value(LLVM::FMAOp::create(b, loc, load(f32, scales, f32, g),
                                load(f32, sums, f32, g),
                                tail.getRegionIterArg(0))));
  b.setInsertionPointAfter(tail);
  return tail.getResult(0);
}

void KernelBuilder::emitGroupedTile(
    int64_t mr, int64_t nr, Value m0, Value n0, Value kpad, Value asum,
    Value c, Value ldc, function_ref<SmallVector<SmallVector<Value, 8>>(Value)> tileCodes,
    function_ref<SmallVector<Value, 8>(int64_t, Value)> tileActs) {
  const int64_t group = spec.groupSize;
  auto accTy = cast<VectorType>(accType());
  auto fTy = VectorType::get({accTy.getNumElements()}, f32);
  Value zeroAcc = arith::ConstantOp::create(
      b, loc, accTy, DenseElementsAttr::get(accTy, b.getI32IntegerAttr(0)));
  Value zeroF = arith::ConstantOp::create(
      b, loc, fTy, DenseElementsAttr::get(fTy, b.getF32FloatAttr(0)));
  // Per group and output: sums = fma(f32(i32 sums of codes times
  // activations), scale[n, g], sums), in mr * nr vectors of f32. Padding
  // groups past the scales' last (zero activations) read that last scale.
  // The rest of w = codeScale * code - 1 is applied at the end.
  const int64_t outputs = mr * nr;
  auto flush = [&](ArrayRef<Value> iaccs, ArrayRef<Value> state, Value g) {
    Value scaleGroup =
        arith::MinUIOp::create(b, loc, g, subi(colStride, cI64(1)));
    SmallVector<Value> scales;
    for (int64_t n = 0; n < nr; ++n)
      scales.push_back(vector::BroadcastOp::create(
          b, loc, fTy,
          load(f32, colScale, f32,
               addi(muli(addi(toI64(n0), cI64(n)), colStride), scaleGroup))));
    SmallVector<Value> next(outputs);
    for (int64_t m = 0; m < mr; ++m)
      for (int64_t n = 0; n < nr; ++n) {
        int64_t o = m * nr + n;
        Value f = arith::SIToFPOp::create(b, loc, fTy, iaccs[o]);
        next[o] = LLVM::FMAOp::create(b, loc, f, scales[n], state[o]);
      }
    return next;
  };
  SmallVector<Value> init(outputs, zeroF);
  SmallVector<Value> faccs;
  if (group >= kStep) {
    Value groups = divui(addi(kpad, cI64(group - 1)), cI64(group));
    auto groupLoop =
        scf::ForOp::create(b, loc, cIdx(0), toIdx(groups), cIdx(1), init);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(groupLoop.getBody());
    Value g = toI64(groupLoop.getInductionVar());
    Value kBegin = muli(g, cI64(group));
    Value kEnd = arith::MinUIOp::create(b, loc, addi(kBegin, cI64(group)),
                                        kpad);
    SmallVector<Value> iaccs =
        accumulate(mr, nr, kBegin, kEnd, zeroAcc, tileCodes, tileActs);
    SmallVector<Value> prev(groupLoop.getRegionIterArgs());
    scf::YieldOp::create(b, loc, flush(iaccs, prev, g));
    b.setInsertionPointAfter(groupLoop);
    faccs.assign(groupLoop.getResults().begin(), groupLoop.getResults().end());
  } else {
    const int64_t perStep = kStep / group, perGroup = group / vl;
    auto kLoop =
        scf::ForOp::create(b, loc, cIdx(0), toIdx(kpad), cIdx(kStep), init);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value kb = toI64(kLoop.getInductionVar());
    auto codes = tileCodes(kb);
    SmallVector<SmallVector<Value, 8>> acts;
    for (int64_t m = 0; m < mr; ++m)
      acts.push_back(tileActs(m, kb));
    SmallVector<Value> running(kLoop.getRegionIterArgs());
    for (int64_t part = 0; part < perStep; ++part) {
      SmallVector<Value> iaccs;
      for (int64_t m = 0; m < mr; ++m)
        for (int64_t n = 0; n < nr; ++n)
          iaccs.push_back(dotStep(
              zeroAcc,
              ArrayRef<Value>(codes[n]).slice(part * perGroup, perGroup),
              ArrayRef<Value>(acts[m]).slice(part * perGroup, perGroup)));
      running = flush(iaccs, running,
                      addi(divui(kb, cI64(group)), cI64(part)));
    }
    scf::YieldOp::create(b, loc, running);
    b.setInsertionPointAfter(kLoop);
    faccs.assign(kLoop.getResults().begin(), kLoop.getResults().end());
  }
  for (int64_t m = 0; m < mr; ++m) {
    Value row = addi(toI64(m0), cI64(m));
    Value rowScaleValue = load(f32, rowScale, f32, row);
    for (int64_t n = 0; n < nr; ++n) {
      Value col = addi(toI64(n0), cI64(n));
      Value sum = vector::ReductionOp::create(
          b, loc, vector::CombiningKind::ADD, faccs[m * nr + n]);
      if (codeScale != 1)
        sum = arith::MulFOp::create(b, loc, sum, cF32(double(codeScale)));
      Value total = arith::SubFOp::create(
          b, loc, sum, groupCorrection(row, col, asum));
      Value y = arith::MulFOp::create(b, loc, total, rowScaleValue);
      if (spec.residual)
        y = arith::AddFOp::create(
            b, loc, y,
            load(f32, residual, f32, addi(muli(row, ldResidual), col)));
      store(y, c, f32, addi(muli(row, ldc), col));
    }
  }
}

/// The MR x NR i32 accumulators of the tile over k-steps [kBegin, kEnd),
/// from `zero`.
SmallVector<Value> KernelBuilder::accumulate(
    int64_t mr, int64_t nr, Value kBegin, Value kEnd, Value zero,
    function_ref<SmallVector<SmallVector<Value, 8>>(Value)> tileCodes,
    function_ref<SmallVector<Value, 8>(int64_t, Value)> tileActs) {
  auto kLoop = scf::ForOp::create(b, loc, toIdx(kBegin), toIdx(kEnd),
                                  cIdx(kStep), SmallVector<Value>(mr * nr, zero));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(kLoop.getBody());
  Value kb = toI64(kLoop.getInductionVar());
  auto codes = tileCodes(kb);
  SmallVector<Value> next;
  for (int64_t m = 0; m < mr; ++m) {
    auto acts = tileActs(m, kb);
    for (int64_t n = 0; n < nr; ++n)
      next.push_back(
          dotStep(kLoop.getRegionIterArg(m * nr + n), codes[n], acts));
  }
  scf::YieldOp::create(b, loc, next);
  b.setInsertionPointAfter(kLoop);
  return SmallVector<Value>(kLoop.getResults());
}

/// The i8mm tile: smmla multiplies a 2 x 8 block of activations by an
/// 8 x 2 block of codes into a 2 x 2 block of i32 sums, so each k-step's
/// rows are paired (zip1/zip2 of 64-bit halves: k 0..7 of both rows, then
/// k 8..15) and each pair of token rows meets each pair of weight rows in
/// one accumulator. Returns the tile's sums, lane m * NR + n.
Value KernelBuilder::accumulateMmla(
    int64_t mr, int64_t nr, Value kpad, Value zero,
    function_ref<SmallVector<SmallVector<Value, 8>>(Value)> tileCodes,
    function_ref<SmallVector<Value, 8>(int64_t, Value)> tileActs) {
  const int64_t mp = mr / 2, np = nr / 2;
  auto kLoop = scf::ForOp::create(b, loc, cIdx(0), toIdx(kpad), cIdx(kStep),
                                  SmallVector<Value>(mp * np, zero));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kLoop.getBody());
    Value kb = toI64(kLoop.getInductionVar());
    auto codes = tileCodes(kb);
    SmallVector<SmallVector<Value, 8>> acts;
    for (int64_t m = 0; m < mr; ++m)
      acts.push_back(tileActs(m, kb));
    auto halves = VectorType::get({2}, i64);
    auto byteVec = VectorType::get({vl}, i8);
    // zip1 (h = 0) / zip2 (h = 1) of x and y as 64-bit lanes.
    auto zip = [&](Value x, Value y, int64_t h) -> Value {
      Value z = vector::ShuffleOp::create(
          b, loc, vector::BitCastOp::create(b, loc, halves, x),
          vector::BitCastOp::create(b, loc, halves, y),
          ArrayRef<int64_t>{h, 2 + h});
      return vector::BitCastOp::create(b, loc, byteVec, z);
    };
    auto smmla = b.getStringAttr("llvm.aarch64.neon.smmla.v4i32.v16i8");
    SmallVector<Value> next(kLoop.getRegionIterArgs());
    for (int64_t s = 0; s < subVectors; ++s)
      for (int64_t h = 0; h < 2; ++h) {
        SmallVector<Value> rowPairs, colPairs;
        for (int64_t p = 0; p < mp; ++p)
          rowPairs.push_back(zip(acts[2 * p][s], acts[2 * p + 1][s], h));
        for (int64_t q = 0; q < np; ++q)
          colPairs.push_back(zip(codes[2 * q][s], codes[2 * q + 1][s], h));
        for (int64_t p = 0; p < mp; ++p)
          for (int64_t q = 0; q < np; ++q) {
            Value &acc = next[p * np + q];
            acc = LLVM::CallIntrinsicOp::create(
                      b, loc, acc.getType(), smmla,
                      ValueRange{acc, rowPairs[p], colPairs[q]})
                      .getResult(0);
          }
      }
    scf::YieldOp::create(b, loc, next);
  }
  // Block (p, q) holds rows 2p, 2p + 1 by columns 2q, 2q + 1, row-major.
  SmallVector<Value> sums;
  for (int64_t m = 0; m < mr; ++m)
    for (int64_t n = 0; n < nr; ++n)
      sums.push_back(vector::ExtractOp::create(
          b, loc, kLoop.getResult((m / 2) * np + n / 2),
          ArrayRef<int64_t>{(m % 2) * 2 + n % 2}));
  return vector::FromElementsOp::create(
      b, loc, VectorType::get({mr * nr}, i32), sums);
}

/// sumEach over groups of as many accumulators as they have lanes, the
/// groups' sums concatenated (null where sumEach does not apply).
Value KernelBuilder::sumInChunks(ArrayRef<Value> accs) {
  const int64_t lanes =
      cast<VectorType>(accs.front().getType()).getNumElements();
  const int64_t count = int64_t(accs.size());
  if (count <= lanes || count % lanes)
    return sumEach(accs);
  SmallVector<Value> parts;
  for (int64_t first = 0; first < count; first += lanes)
    if (Value part = sumEach(accs.slice(first, lanes)))
      parts.push_back(part);
    else
      return nullptr;
  if (!llvm::isPowerOf2_64(uint64_t(parts.size())))
    return nullptr;
  while (parts.size() > 1) {
    SmallVector<Value> next;
    for (size_t i = 0; i < parts.size(); i += 2) {
      int64_t width = cast<VectorType>(parts[i].getType()).getNumElements();
      SmallVector<int64_t> mask;
      for (int64_t j = 0; j < 2 * width; ++j)
        mask.push_back(j);
      next.push_back(
          vector::ShuffleOp::create(b, loc, parts[i], parts[i + 1], mask));
    }
    parts = std::move(next);
  }
  return parts.front();
}

/// Stores the MR x NR tile whose sums are lanes m * NR + n of `sums`: per
/// row, NR lanes at once, less the row's activation sum (when `asum` is
/// given: sums of codes), dequantized when the spec says so.
void KernelBuilder::storeTile(Value sums, int64_t mr, int64_t nr, Value m0,
                              Value n0, Value asum, Value c, Value ldc) {
  auto segType = VectorType::get({nr}, i32);
  auto f32Seg = VectorType::get({nr}, f32);
  Value colScales;
  if (spec.dequantize) {
    SmallVector<Value> scales;
    for (int64_t n = 0; n < nr; ++n)
      scales.push_back(load(f32, colScale, f32,
                            muli(addi(toI64(n0), cI64(n)), colStride)));
    colScales = vector::FromElementsOp::create(b, loc, f32Seg, scales);
  }
  for (int64_t m = 0; m < mr; ++m) {
    Value row = addi(toI64(m0), cI64(m));
    Value seg = vector::ExtractStridedSliceOp::create(
        b, loc, sums, ArrayRef<int64_t>{m * nr}, ArrayRef<int64_t>{nr},
        ArrayRef<int64_t>{1});
    if (asum) // sums of codes: less the sum of the activations
      seg = subi(seg, vector::BroadcastOp::create(b, loc, segType,
                                                  load(i32, asum, i32, row)));
    Value index = addi(muli(row, ldc), toI64(n0));
    if (!spec.dequantize) {
      store(seg, c, i32, index);
      continue;
    }
    Value y = arith::SIToFPOp::create(b, loc, f32Seg, seg);
    y = arith::MulFOp::create(
        b, loc, y,
        vector::BroadcastOp::create(b, loc, f32Seg,
                                    load(f32, rowScale, f32, row)));
    y = arith::MulFOp::create(b, loc, y, colScales);
    if (spec.residual)
      y = arith::AddFOp::create(
          b, loc, y,
          load(f32Seg, residual, f32, addi(muli(row, ldResidual), toI64(n0))));
    store(y, c, f32, index);
  }
}

void KernelBuilder::storeOutput(Value sum, Value row, Value col, Value c,
                                Value ldc) {
  Value index = addi(muli(row, ldc), col);
  if (!spec.dequantize) {
    store(sum, c, i32, index);
    return;
  }
  Value y = arith::SIToFPOp::create(b, loc, f32, sum);
  y = arith::MulFOp::create(b, loc, y, load(f32, rowScale, f32, row));
  y = arith::MulFOp::create(b, loc, y,
                            load(f32, colScale, f32, muli(col, colStride)));
  if (spec.residual)
    y = arith::AddFOp::create(
        b, loc, y, load(f32, residual, f32, addi(muli(row, ldResidual), col)));
  store(y, c, f32, index);
}

Value KernelBuilder::lutEntryOffset(Value block, Value nibble, Value index) {
  Value step = divui(block, cI64(lanes));
  Value lane = arith::RemUIOp::create(b, loc, block, cI64(lanes));
  return addi(addi(muli(step, cI64(4 * vl)), muli(nibble, cI64(2 * vl))),
              addi(muli(lane, cI64(16)), index));
}

void KernelBuilder::emitBuildLut(Value apad, Value kpad, Value m, Value lut,
                                 Value lutBytes) {
  // Entry i of a pair's table: (i / 3 - 1) * a0 + (i % 3 - 1) * a1 for the
  // nine indices the packer writes, 0 above.
  auto words = VectorType::get({16}, i16);
  auto bytes = VectorType::get({16}, i8);
  SmallVector<int16_t> first(16, 0), second(16, 0);
  for (int index = 0; index < 9; ++index) {
    first[index] = int16_t(index / 3 - 1);
    second[index] = int16_t(index % 3 - 1);
  }
  auto constant = [&](ArrayRef<int16_t> values) -> Value {
    return arith::ConstantOp::create(b, loc, words,
                                     DenseElementsAttr::get(words, values));
  };
  Value w0 = constant(first), w1 = constant(second);
  Value eight = splat(i16, 8, 16);
  auto tokens = scf::ForOp::create(b, loc, cIdx(0), toIdx(m), cIdx(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(tokens.getBody());
  Value token = toI64(tokens.getInductionVar());
  Value acts = muli(token, kpad), tables = muli(token, lutBytes);
  auto pairs = scf::ForOp::create(b, loc, cIdx(0), toIdx(divui(kpad, cI64(2))),
                                  cIdx(1));
  b.setInsertionPointToStart(pairs.getBody());
  Value pair = toI64(pairs.getInductionVar());
  Value at = addi(acts, muli(pair, cI64(2)));
  auto act = [&](Value index) -> Value {
    Value a = arith::ExtSIOp::create(b, loc, i16, load(i8, apad, i8, index));
    return vector::BroadcastOp::create(b, loc, words, a);
  };
  Value sums = addi(muli(w0, act(at)), muli(w1, act(addi(at, cI64(1)))));
  Value lo = arith::TruncIOp::create(b, loc, bytes, sums);
  Value hi = arith::TruncIOp::create(
      b, loc, bytes, arith::ShRSIOp::create(b, loc, sums, eight));
  // Pair q is nibble q % 2 of block q / 2 (block = 4 weights).
  Value offset = addi(tables, lutEntryOffset(divui(pair, cI64(2)),
                                             arith::RemUIOp::create(
                                                 b, loc, pair, cI64(2)),
                                             cI64(0)));
  store(lo, lut, i8, offset);
  store(hi, lut, i8, addi(offset, cI64(vl)));
}

Value KernelBuilder::emitLutRowSum(Value row, Value blockStride, Value b0,
                                   Value b1, Value lutRow) {
  auto loop = scf::ForOp::create(b, loc, toIdx(b0), toIdx(b1), cIdx(1),
                                 ValueRange{cI32(0)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value block = toI64(loop.getInductionVar());
  Value byte = arith::ExtUIOp::create(
      b, loc, i64, load(i8, row, i8, muli(block, blockStride)));
  Value sum = loop.getRegionIterArg(0);
  for (int64_t nibble = 0; nibble < 2; ++nibble) {
    Value index = arith::AndIOp::create(
        b, loc, arith::ShRUIOp::create(b, loc, byte, cI64(4 * nibble)),
        cI64(15));
    Value offset = lutEntryOffset(block, cI64(nibble), index);
    Value lo = arith::ExtUIOp::create(b, loc, i32,
                                      load(i8, lutRow, i8, offset));
    Value hi = arith::ExtSIOp::create(
        b, loc, i32, load(i8, lutRow, i8, addi(offset, cI64(vl))));
    sum = addi(sum, addi(lo, arith::ShLIOp::create(b, loc, hi, cI32(8))));
  }
  scf::YieldOp::create(b, loc, sum);
  return loop.getResult(0);
}

/// Rows [n0, n0 + nr) for token m0: a whole tile of 16 rows through the
/// vector tables (whole steps; the blocks after them, if any, one index at a
/// time), or one row (the last, partial group) one index at a time.
void KernelBuilder::emitLutTile(int64_t nr, Value m0, Value n0, Value rows,
                                Value blockStride, Value prefetchAhead,
                                Value ldw, Value n, Value c, Value ldc) {
  Value lutRow = gep(lut, i8, muli(m0, lutBytes));
  // One block (byte) per row and step of 4 weights: ldw blocks a row.
  if (nr == 1) {
    storeOutput(emitLutRowSum(rows, blockStride, cI64(0), ldw, lutRow), m0,
                n0, c, ldc);
    return;
  }
  // Widen the int16 sums every kFlushSteps steps: each step adds at most
  // 2 * 254 to a lane.
  constexpr int64_t kFlushSteps = 64;
  auto byteVec = VectorType::get({vl}, i8);
  auto wordVec = VectorType::get({vl / 2}, i16);
  auto wideVec = VectorType::get({vl / 2}, i32);
  Value zeroWords = splat(i16, 0, vl / 2), zeroWide = splat(i32, 0, vl / 2);
  Value nibbleMask = splat(i8, 15, vl);
  // vpshufb, or NEON's tbl (indices 0..15 alike).
  StringAttr pshufb = b.getStringAttr(
      spec.isa == DotIsa::Avx512Vnni ? "llvm.x86.avx512.pshuf.b.512"
      : spec.isa == DotIsa::Avx2     ? "llvm.x86.avx2.pshuf.b"
                                     : "llvm.aarch64.neon.tbl1.v16i8");
  // vpunpcklbw / vpunpckhbw of (low bytes, high bytes): int16 entries of
  // rows 0..7 / 8..15, lane by lane.
  SmallVector<int64_t> lowRows, highRows;
  for (int64_t lane = 0; lane < lanes; ++lane)
    for (int64_t i = 0; i < 8; ++i) {
      lowRows.append({16 * lane + i, vl + 16 * lane + i});
      highRows.append({16 * lane + 8 + i, vl + 16 * lane + 8 + i});
    }
  Value steps = divui(ldw, cI64(lanes));
  auto outer = scf::ForOp::create(b, loc, cIdx(0), toIdx(steps),
                                  cIdx(kFlushSteps),
                                  ValueRange{zeroWide, zeroWide});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(outer.getBody());
    Value first = toI64(outer.getInductionVar());
    Value last = arith::MinUIOp::create(b, loc, addi(first, cI64(kFlushSteps)),
                                        steps);
    auto inner = scf::ForOp::create(b, loc, toIdx(first), toIdx(last),
                                    cIdx(1), ValueRange{zeroWords, zeroWords});
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(inner.getBody());
      Value step = toI64(inner.getInductionVar());
      Value offset = muli(step, cI64(vl));
      Value packed = load(byteVec, rows, i8, offset);
      LLVM::Prefetch::create(b, loc,
                             gep(rows, i8, addi(offset, prefetchAhead)),
                             /*rw=*/0, /*hint=*/3, /*cache=*/1);
      Value low = arith::AndIOp::create(b, loc, packed, nibbleMask);
      Value high = vector::BitCastOp::create(b, loc, wordVec, packed);
      high = arith::ShRUIOp::create(b, loc, high, splat(i16, 4, vl / 2));
      high = arith::AndIOp::create(
          b, loc, vector::BitCastOp::create(b, loc, byteVec, high), nibbleMask);
      Value tables = muli(step, cI64(4 * vl));
      auto lookup = [&](int64_t table, Value index) -> Value {
        Value entries =
            load(byteVec, lutRow, i8, addi(tables, cI64(table * vl)));
        return LLVM::CallIntrinsicOp::create(b, loc, byteVec, pshufb,
                                             ValueRange{entries, index})
            .getResult(0);
      };
      Value lowLo = lookup(0, low), lowHi = lookup(1, low);
      Value highLo = lookup(2, high), highHi = lookup(3, high);
      auto join = [&](Value lo, Value hi, ArrayRef<int64_t> mask) -> Value {
        return vector::BitCastOp::create(
            b, loc, wordVec, vector::ShuffleOp::create(b, loc, lo, hi, mask));
      };
      Value accLow = addi(inner.getRegionIterArg(0),
                          addi(join(lowLo, lowHi, lowRows),
                               join(highLo, highHi, lowRows)));
      Value accHigh = addi(inner.getRegionIterArg(1),
                           addi(join(lowLo, lowHi, highRows),
                                join(highLo, highHi, highRows)));
      scf::YieldOp::create(b, loc, ValueRange{accLow, accHigh});
    }
    scf::YieldOp::create(
        b, loc,
        ValueRange{addi(outer.getRegionIterArg(0),
                        arith::ExtSIOp::create(b, loc, wideVec,
                                               inner.getResult(0))),
                   addi(outer.getRegionIterArg(1),
                        arith::ExtSIOp::create(b, loc, wideVec,
                                               inner.getResult(1)))});
  }
  // Lane L of each accumulator holds pairs of block L of a step: sum lanes.
  auto sumLanes = [&](Value acc) -> Value {
    Value total;
    for (int64_t lane = 0; lane < lanes; ++lane) {
      Value part = vector::ExtractStridedSliceOp::create(
          b, loc, acc, ArrayRef<int64_t>{8 * lane}, ArrayRef<int64_t>{8},
          ArrayRef<int64_t>{1});
      total = total ? addi(total, part) : part;
    }
    return total;
  };
  SmallVector<int64_t> concat;
  for (int64_t i = 0; i < 2 * 8; ++i)
    concat.push_back(i);
  Value sums = vector::ShuffleOp::create(b, loc, sumLanes(outer.getResult(0)),
                                         sumLanes(outer.getResult(1)), concat);
  // Blocks past the whole steps, row by row.
  Value tailStart = muli(steps, cI64(lanes));
  SmallVector<Value> tails;
  for (int64_t r = 0; r < kLutRows; ++r)
    tails.push_back(emitLutRowSum(gep(rows, i8, cI64(r)), blockStride,
                                  tailStart, ldw, lutRow));
  sums = addi(sums, vector::FromElementsOp::create(
                        b, loc, VectorType::get({kLutRows}, i32), tails));
  storeTile(sums, 1, kLutRows, m0, n0, /*asum=*/Value(), c, ldc);
}

LLVM::LLVMFuncOp KernelBuilder::buildTask() {
  OpBuilder::InsertionGuard guard(b);
  LLVM::LLVMFuncOp task = createTask("tern_matmul_" + spec.tag() + "_task");
  Block *entry = &task.getBody().front();
  Value closure = entry->getArgument(0);
  Value begin = entry->getArgument(1), end = entry->getArgument(2);
  auto slot = [&](Slot s) { return closureSlot(closure, s); };
  auto slotPtr = [&](Slot s) { return closurePointer(closure, s); };
  Value apad = slotPtr(kApad), asum = slotPtr(kAsum), w = slotPtr(kW),
        c = slotPtr(kC);
  Value kpad = slot(kKpad), ldw = slot(kLdw), ldc = slot(kLdc), m = slot(kM),
        n = slot(kN), k = slot(kK);
  if (spec.dequantize) {
    rowScale = slotPtr(kRowScale);
    colScale = slotPtr(kColScale);
    colStride = slot(kColStride);
  }
  if (spec.groupSize)
    asumGroups = slot(kAsumGroups);
  if (spec.residual) {
    residual = slotPtr(kResidual);
    ldResidual = slot(kLdResidual);
  }
  if (lutPath) {
    lut = slotPtr(kLut);
    lutBytes = slot(kLutBytes);
  }
  const int64_t mr = tile.mr, nr = tile.nr;
  // The packed bytes are read in place in registers (or through the lookup
  // tables); every other layout is decoded to codes first.
  const bool inPlace = fastPath || lutPath;

  // Scratch for decoded codes: NR rows of kpad bytes.
  Value scratch;
  if (!inPlace)
    scratch = malloc(muli(cI64(nr), kpad));

  // Whole tiles of a task are consecutive rows: the bytes read
  // kPrefetchTiles tiles later are that many tiles' rows further on, in any
  // row interleave.
  Value prefetchAhead = muli(ldw, cI64(kPrefetchTiles * nr));

  // Task t covers the weight-row tiles of group t / mBlocks and the token
  // block t % mBlocks: for each MR-row tile of tokens (whose activations
  // then stay in L1), every weight tile of the group (whose packed bytes
  // stay in L1 across the token tiles).
  auto tasks = scf::ForOp::create(b, loc, toIdx(begin), toIdx(end), cIdx(1));
  b.setInsertionPointToStart(tasks.getBody());
  Value t = toI64(tasks.getInductionVar());
  Value mBlocks = mBlockCount(m);
  Value groupRows = muli(slot(kGroupTiles), cI64(nr));
  Value nBegin = muli(divui(t, mBlocks), groupRows);
  Value nEnd = arith::MinUIOp::create(b, loc, addi(nBegin, groupRows), n);
  Value mStart = muli(arith::RemUIOp::create(b, loc, t, mBlocks), cI64(kMBlock));
  Value mEnd = arith::MinUIOp::create(b, loc, addi(mStart, cI64(kMBlock)), m);

  // Weights of row `row`: its packed bytes, or its codes decoded into
  // scratch (then the group is a single tile, decoded here once).
  auto weightsOf = [&](Value row) -> Value {
    if (inPlace)
      return gep(w, i8, packedRowOffset(row, ldw));
    return gep(scratch, i8, muli(subi(row, nBegin), kpad));
  };
  if (!inPlace) {
    auto decode = scf::ForOp::create(b, loc, toIdx(nBegin), toIdx(nEnd),
                                     cIdx(1));
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(decode.getBody());
    Value row = toI64(decode.getInductionVar());
    emitDecodeRow(w, ldw, row, n, k, kpad, weightsOf(row));
  }

  // The weight tiles of the group against the token tile [m0, m0 + tileM).
  // The matrix-vector kernel's group is one tile and its token the only
  // one: no loops.
  auto emitGroup = [&](int64_t tileM, Value m0) {
    OpBuilder::InsertionGuard g(b);
    Value n0 = nBegin;
    if (!spec.gemv) {
      auto tiles = scf::ForOp::create(b, loc, toIdx(nBegin), toIdx(nEnd),
                                      cIdx(nr));
      b.setInsertionPointToStart(tiles.getBody());
      n0 = toI64(tiles.getInductionVar());
    }
    Value isFull = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle,
                                         addi(n0, cI64(nr)), n);
    auto ifFull = scf::IfOp::create(b, loc, TypeRange{}, isFull,
                                    /*withElseRegion=*/true);
    {
      // Tiles are a power of two of rows, like the interleave, so the rows
      // of a whole tile share one block stride.
      OpBuilder::InsertionGuard g2(b);
      b.setInsertionPointToStart(&ifFull.getThenRegion().front());
      if (lutPath) {
        emitLutTile(nr, m0, n0, weightsOf(n0), packedBlockStride(n0, n),
                    prefetchAhead, ldw, n, c, ldc);
      } else {
        SmallVector<Value> rows;
        for (int64_t r = 0; r < nr; ++r)
          rows.push_back(weightsOf(addi(n0, cI64(r))));
        emitTile(tileM, nr, m0, n0, apad, kpad, asum, rows,
                 packedBlockStride(n0, n), prefetchAhead, c, ldc);
      }
    }
    {
      // The last, partial tile: one weight row at a time.
      OpBuilder::InsertionGuard g2(b);
      b.setInsertionPointToStart(&ifFull.getElseRegion().front());
      auto rows = scf::ForOp::create(b, loc, toIdx(n0), toIdx(n), cIdx(1));
      b.setInsertionPointToStart(rows.getBody());
      Value row = toI64(rows.getInductionVar());
      if (lutPath)
        emitLutTile(1, m0, row, weightsOf(row), packedBlockStride(row, n),
                    prefetchAhead, ldw, n, c, ldc);
      else
        emitTile(tileM, 1, m0, row, apad, kpad, asum, weightsOf(row),
                 packedBlockStride(row, n), prefetchAhead, c, ldc);
    }
  };
  if (spec.gemv) {
    emitGroup(1, mStart);
  } else {
    // Tokens [mStart, mEnd) in full MR tiles, then single rows.
    Value mFull = addi(mStart, muli(divui(subi(mEnd, mStart), cI64(mr)),
                                    cI64(mr)));
    auto full = scf::ForOp::create(b, loc, toIdx(mStart), toIdx(mFull),
                                   cIdx(mr));
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(full.getBody());
      emitGroup(mr, toI64(full.getInductionVar()));
    }
    auto rest = scf::ForOp::create(b, loc, toIdx(mFull), toIdx(mEnd), cIdx(1));
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(rest.getBody());
    emitGroup(1, toI64(rest.getInductionVar()));
  }
  b.setInsertionPointAfter(tasks);
  if (scratch)
    free(scratch);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return task;
}

func::FuncOp KernelBuilder::build() {
  declareRuntime();
  LLVM::LLVMFuncOp task = buildTask();

  OpBuilder::InsertionGuard guard(b);
  SmallVector<Type> argTypes = {ptr, i64, ptr, i64, ptr, i64, i64, i64, i64};
  if (spec.dequantize)
    argTypes.append({ptr, ptr, i64});
  if (spec.residual)
    argTypes.append({ptr, i64});
  func::FuncOp fn = createKernelFunction("tern_matmul_" + spec.tag(), argTypes);
  Block *entry = &fn.getBody().front();
  Value a = entry->getArgument(0), lda = entry->getArgument(1),
        w = entry->getArgument(2), ldw = entry->getArgument(3),
        c = entry->getArgument(4), ldc = entry->getArgument(5),
        m = entry->getArgument(6), n = entry->getArgument(7),
        k = entry->getArgument(8);

  // kpad = round_up(max(k, 1), kStep).
  Value kpad = muli(
      arith::DivUIOp::create(b, loc, addi(k, cI64(kStep - 1)), cI64(kStep)),
      cI64(kStep));
  Value apad = malloc(muli(m, kpad));
  // One activation sum a token, or one a group of the padded row.
  Value asumGroups = cI64(1);
  if (spec.groupSize)
    asumGroups = divui(addi(kpad, cI64(spec.groupSize - 1)),
                       cI64(spec.groupSize));
  Value asum = malloc(muli(muli(m, asumGroups), cI64(4)));
  emitCopyActivations(a, lda, apad, kpad, asum, m, k);
  Value lutTables = cI64(0), lutTableBytes = cI64(0);
  if (lutPath) {
    lutTableBytes = muli(divui(kpad, cI64(kStep)), cI64(4 * vl));
    lutTables = malloc(muli(m, lutTableBytes));
    emitBuildLut(apad, kpad, m, lutTables, lutTableBytes);
  }

  // Weight tiles per task: one for the matrix-vector kernel (every byte is
  // used once) and the decoding layouts (one tile of scratch); otherwise as
  // many as fit in kL1Bytes beside the activation tile.
  Value groupTiles = cI64(1);
  if (fastPath && !spec.gemv) {
    Value acts = arith::MinUIOp::create(b, loc, muli(kpad, cI64(tile.mr)),
                                        cI64(kL1Bytes));
    Value fit = divui(subi(cI64(kL1Bytes), acts),
                      arith::MaxUIOp::create(b, loc, muli(ldw, cI64(tile.nr)),
                                             cI64(1)));
    groupTiles = arith::MaxUIOp::create(
        b, loc, arith::MinUIOp::create(b, loc, fit, cI64(kMaxGroupTiles)),
        cI64(1));
  }
  // Every slot, the unused ones 0.
  SmallVector<Value> slots(kNumSlots, cI64(0));
  for (auto [slot, value] :
       {std::pair{kApad, apad}, {kKpad, kpad}, {kAsum, asum}, {kW, w},
        {kLdw, ldw}, {kC, c}, {kLdc, ldc}, {kM, m}, {kN, n}, {kK, k},
        {kGroupTiles, groupTiles}, {kLut, lutTables},
        {kLutBytes, lutTableBytes}, {kAsumGroups, asumGroups}})
    slots[slot] = value;
  if (spec.dequantize)
    for (int64_t i = 0; i < 3; ++i)
      slots[kRowScale + i] = entry->getArgument(9 + i);
  if (spec.residual)
    for (int64_t i = 0; i < 2; ++i)
      slots[kResidual + i] = entry->getArgument(12 + i);
  Value closure = createClosure(slots);
  Value tiles = divui(addi(n, cI64(tile.nr - 1)), cI64(tile.nr));
  Value groups = divui(addi(tiles, subi(groupTiles, cI64(1))), groupTiles);
  parallelFor(task, closure, muli(groups, mBlockCount(m)));
  free(apad);
  free(asum);
  if (lutPath)
    free(lutTables);
  func::ReturnOp::create(b, loc);
  return fn;
}

func::FuncOp mlir::tern::getOrCreateMatmulKernel(ModuleOp module,
                                                 const MatmulKernelSpec &spec) {
  std::string name = "tern_matmul_" + spec.tag();
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  return KernelBuilder(module, spec).build();
}
