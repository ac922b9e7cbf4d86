//===- LinearKernel.cpp - Float x float matmul for tern.linear ------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Emits, per weight element type, the kernel tern.linear lowers to:
//
//   void tern_linear_<f32|bf16|f16>(ptr x, i64 ldx, ptr w, i64 ldw, ptr y,
//                                   i64 ldy, i64 m, i64 n, i64 k)
//
// y[i, j] = sum_k x[i, k] * f32(w[j, k]). Output rows are split over the
// runtime's threads in tiles of NR weight rows; each tile keeps MR x NR
// accumulators of 16 f32 lanes across the whole K loop (FMA), so every weight
// vector loaded feeds MR rows of activations. bf16 is read a cache line (32
// weights) at a time and widened by a shift (even weights) and a mask (odd
// ones) against activations split into even and odd lanes; f16 widens by a
// conversion; the tail of K that does not fill a step is scalar.
//
//===----------------------------------------------------------------------===//
#include "LinearKernel.h"
#include "KernelEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

constexpr int64_t kLanes = 16, kMR = 4, kNR = 4;
/// Weight rows per tile of the matrix-vector (M = 1) variant.
constexpr int64_t kGemvNR = 8;
/// How many NR-row tiles ahead the K loop prefetches weights: the next one
/// (a bf16 lm_head GEMV measured 2-5% faster than four tiles ahead).
constexpr int64_t kPrefetchTiles = 1;

enum Slot : int64_t { kX, kLdx, kW, kLdw, kY, kLdy, kM, kN, kK };

class LinearBuilder : KernelEmitter {
public:
  LinearBuilder(ModuleOp module, Type weightType, bool gemv)
      : KernelEmitter(module), weightType(weightType), gemv(gemv),
        nrTile(gemv ? kGemvNR : kNR) {}

  func::FuncOp build();

private:
  LLVM::LLVMFuncOp buildTask();
  /// Weights [kLanes or 1] at element `index` of row `row`, as f32.
  Value loadWeights(Value row, Value index, int64_t lanes);
  void emitTile(int64_t mr, int64_t nr, Value m0, Value n0, Value x, Value ldx,
                Value w, Value ldw, Value y, Value ldy, Value k);

  Type weightType;
  bool gemv;
  int64_t nrTile; ///< weight rows per task tile
};

Value LinearBuilder::loadWeights(Value row, Value index, int64_t lanes) {
  Type f32Ty = lanes == 1 ? f32 : Type(VectorType::get({lanes}, f32));
  if (weightType.isF32())
    return load(f32Ty, row, f32, index);
  if (weightType.isInteger(8)) {
    // int8 (a quantized head): exact in f32; the row scale comes after.
    Type i8Ty = lanes == 1 ? i8 : Type(VectorType::get({lanes}, i8));
    Type i32Ty = lanes == 1 ? i32 : Type(VectorType::get({lanes}, i32));
    Value wide = arith::ExtSIOp::create(b, loc, i32Ty, load(i8Ty, row, i8, index));
    return arith::SIToFPOp::create(b, loc, f32Ty, wide);
  }
  if (weightType.isF16()) {
    Type f16 = Float16Type::get(b.getContext());
    Type ty = lanes == 1 ? f16 : Type(VectorType::get({lanes}, f16));
    return arith::ExtFOp::create(b, loc, f32Ty, load(ty, row, f16, index));
  }
  // bf16: the f32 with the same upper 16 bits.
  Type i16Ty = lanes == 1 ? i16 : Type(VectorType::get({lanes}, i16));
  Type i32Ty = lanes == 1 ? i32 : Type(VectorType::get({lanes}, i32));
  Value bits = arith::ExtUIOp::create(b, loc, i32Ty, load(i16Ty, row, i16, index));
  Value sixteen = lanes == 1 ? cI32(16) : intSplat(i32, 16, lanes);
  bits = arith::ShLIOp::create(b, loc, bits, sixteen);
  return arith::BitcastOp::create(b, loc, f32Ty, bits);
}

void LinearBuilder::emitTile(int64_t mr, int64_t nr, Value m0, Value n0,
                             Value x, Value ldx, Value w, Value ldw, Value y,
                             Value ldy, Value k) {
  auto vec = VectorType::get({kLanes}, f32);
  Type elem = weightType;
  Value zero = arith::ConstantOp::create(
      b, loc, vec, DenseElementsAttr::get(vec, b.getF32FloatAttr(0.0)));
  // bf16 rows are read a cache line (32 weights) at a time: the even
  // weights are the low halves of the 32-bit lanes, the odd ones the high
  // halves, each a shift or a mask away from f32; the activations are split
  // into even and odd lanes to match. Other types: kLanes weights a step.
  const bool pairs = weightType.isBF16();
  const int64_t step = pairs ? 2 * kLanes : kLanes;
  Value kVec = muli(divui(k, cI64(step)), cI64(step));
  SmallVector<Value> xRows, wRows;
  for (int64_t i = 0; i < mr; ++i)
    xRows.push_back(gep(x, f32, muli(addi(toI64(m0), cI64(i)), ldx)));
  for (int64_t j = 0; j < nr; ++j)
    wRows.push_back(gep(w, elem, muli(addi(toI64(n0), cI64(j)), ldw)));
  auto loop = scf::ForOp::create(b, loc, cIdx(0), toIdx(kVec), cIdx(step),
                                 SmallVector<Value>(mr * nr, zero));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kk = toI64(loop.getInductionVar());
    auto words = VectorType::get({kLanes}, i32);
    SmallVector<Value> weights, oddWeights;
    for (int64_t j = 0; j < nr; ++j) {
      if (pairs) {
        Value v = load(words, wRows[j], elem, kk);
        Value even = arith::ShLIOp::create(b, loc, v, intSplat(i32, 16, kLanes));
        Value odd = arith::AndIOp::create(
            b, loc, v, intSplat(i32, int64_t(0xffff0000u), kLanes));
        weights.push_back(arith::BitcastOp::create(b, loc, vec, even));
        oddWeights.push_back(arith::BitcastOp::create(b, loc, vec, odd));
      } else {
        weights.push_back(loadWeights(wRows[j], kk, kLanes));
      }
      // Decode streams the weights from memory (an lm_head is hundreds of
      // MB): fetch the same position kPrefetchTiles tiles of rows ahead.
      LLVM::Prefetch::create(
          b, loc, gep(wRows[j], elem, addi(kk, muli(ldw, cI64(kPrefetchTiles * nrTile)))),
          /*rw=*/0, /*hint=*/3, /*cache=*/1);
    }
    SmallVector<int64_t> evenLanes, oddLanes;
    for (int64_t l = 0; pairs && l < kLanes; ++l) {
      evenLanes.push_back(2 * l);
      oddLanes.push_back(2 * l + 1);
    }
    SmallVector<Value> next;
    for (int64_t i = 0; i < mr; ++i) {
      Value a = load(vec, xRows[i], f32, kk);
      Value aOdd;
      if (pairs) {
        Value a1 = load(vec, xRows[i], f32, addi(kk, cI64(kLanes)));
        aOdd = vector::ShuffleOp::create(b, loc, a, a1, oddLanes);
        a = vector::ShuffleOp::create(b, loc, a, a1, evenLanes);
      }
      for (int64_t j = 0; j < nr; ++j) {
        Value acc = math::FmaOp::create(b, loc, a, weights[j],
                                        loop.getRegionIterArg(i * nr + j));
        if (pairs)
          acc = math::FmaOp::create(b, loc, aOdd, oddWeights[j], acc);
        next.push_back(acc);
      }
    }
    scf::YieldOp::create(b, loc, next);
  }
  for (int64_t i = 0; i < mr; ++i)
    for (int64_t j = 0; j < nr; ++j) {
      Value sum = vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD,
                                              loop.getResult(i * nr + j));
      auto tail = scf::ForOp::create(b, loc, toIdx(kVec), toIdx(k), cIdx(1),
                                     ValueRange{sum});
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(tail.getBody());
        Value kk = toI64(tail.getInductionVar());
        Value a = load(f32, xRows[i], f32, kk);
        scf::YieldOp::create(
            b, loc,
            Value(math::FmaOp::create(b, loc, a, loadWeights(wRows[j], kk, 1),
                                      tail.getRegionIterArg(0))));
      }
      Value row = addi(toI64(m0), cI64(i)), col = addi(toI64(n0), cI64(j));
      store(tail.getResult(0), y, f32, addi(muli(row, ldy), col));
    }
}

LLVM::LLVMFuncOp LinearBuilder::buildTask() {
  OpBuilder::InsertionGuard guard(b);
  std::string name = linearKernelName(weightType, gemv) + "_task";
  LLVM::LLVMFuncOp task = createTask(name);
  Block *entry = &task.getBody().front();
  Value closure = entry->getArgument(0);
  Value begin = entry->getArgument(1), end = entry->getArgument(2);
  Value x = closurePointer(closure, kX), w = closurePointer(closure, kW),
        y = closurePointer(closure, kY);
  Value ldx = closureSlot(closure, kLdx), ldw = closureSlot(closure, kLdw),
        ldy = closureSlot(closure, kLdy), m = closureSlot(closure, kM),
        n = closureSlot(closure, kN), k = closureSlot(closure, kK);
  Value mFull = muli(divui(m, cI64(kMR)), cI64(kMR));
  auto rows = [&](int64_t nr, Value n0) {
    auto full = scf::ForOp::create(b, loc, cIdx(0), toIdx(mFull), cIdx(kMR));
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(full.getBody());
      emitTile(kMR, nr, full.getInductionVar(), n0, x, ldx, w, ldw, y, ldy, k);
    }
    auto rest = scf::ForOp::create(b, loc, toIdx(mFull), toIdx(m), cIdx(1));
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(rest.getBody());
    emitTile(1, nr, rest.getInductionVar(), n0, x, ldx, w, ldw, y, ldy, k);
  };
  auto tiles = scf::ForOp::create(b, loc, toIdx(begin), toIdx(end), cIdx(1));
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(tiles.getBody());
    Value n0 = muli(toI64(tiles.getInductionVar()), cI64(nrTile));
    Value full = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle,
                                       addi(n0, cI64(nrTile)), n);
    auto ifFull = scf::IfOp::create(b, loc, TypeRange{}, full,
                                    /*withElseRegion=*/true);
    b.setInsertionPointToStart(&ifFull.getThenRegion().front());
    rows(nrTile, n0);
    b.setInsertionPointToStart(&ifFull.getElseRegion().front());
    auto single = scf::ForOp::create(b, loc, toIdx(n0), toIdx(n), cIdx(1));
    b.setInsertionPointToStart(single.getBody());
    rows(1, toI64(single.getInductionVar()));
  }
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return task;
}

func::FuncOp LinearBuilder::build() {
  declareRuntime();
  LLVM::LLVMFuncOp task = buildTask();
  OpBuilder::InsertionGuard guard(b);
  func::FuncOp fn = createKernelFunction(
      linearKernelName(weightType, gemv),
      {ptr, i64, ptr, i64, ptr, i64, i64, i64, i64});
  Block *entry = &fn.getBody().front();
  SmallVector<Value> args(entry->getArguments().begin(),
                          entry->getArguments().end());
  Value closure = createClosure(args);
  Value tiles = divui(addi(args[kN], cI64(nrTile - 1)), cI64(nrTile));
  parallelFor(task, closure, tiles);
  func::ReturnOp::create(b, loc);
  return fn;
}

} // namespace

std::string mlir::tern::linearKernelName(Type weightType, bool gemv) {
  std::string name;
  llvm::raw_string_ostream os(name);
  os << "tern_linear_" << weightType << (gemv ? "_gemv" : "");
  return name;
}

func::FuncOp mlir::tern::getOrCreateLinearKernel(ModuleOp module,
                                                 Type weightType, bool gemv) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(
          linearKernelName(weightType, gemv)))
    return existing;
  return LinearBuilder(module, weightType, gemv).build();
}
