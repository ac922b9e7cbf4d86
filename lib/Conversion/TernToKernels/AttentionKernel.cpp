//===- AttentionKernel.cpp - Causal GQA attention over a KV cache ---------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Emits, per head dimension D, the kernel that tern.attention lowers to:
//
//   void tern_attention_d<D>(ptr q, ptr kc, ptr vc, ptr out, i64 tokens,
//                            i64 heads, i64 kvHeads, i64 capacity, i64 p0,
//                            f32 scale, i64 qStride0, i64 qStride1,
//                            i64 kStride0, i64 kStride1, i64 vStride0,
//                            i64 vStride1)
//
// q is [tokens, heads, D] and the caches [kvHeads, capacity, D], each with
// unit stride along D and the given outer strides (in elements); the caches
// already hold this call's keys and values at p0 ... out is a dense
// [tokens, heads, D]. Work is split over (token,
// head) pairs through the runtime's parallel-for; each computes the scores of
// keys 0 .. p0 + t with D-wide vector dot products (16 keys at a time, their
// 16 accumulators summed into one vector of scores by a shuffle tree), a
// max-subtracted softmax in f32, and the weighted sum of the values with
// vector FMAs.
//
//===----------------------------------------------------------------------===//
#include "AttentionKernel.h"
#include "KernelEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::tern;

namespace {

enum Slot : int64_t {
  kQ, kKc, kVc, kOut, kTokens, kHeads, kKvHeads, kCapacity, kP0, kScale,
  kQStride0, kQStride1, kKStride0, kKStride1, kVStride0, kVStride1
};

/// Lanes of the f32 vectors the kernel works in.
constexpr int64_t kLanes = 16;

class AttentionBuilder : KernelEmitter {
public:
  AttentionBuilder(ModuleOp module, int64_t headDim)
      : KernelEmitter(module), d(headDim) {}

  func::FuncOp build();

private:
  LLVM::LLVMFuncOp buildTask();
  /// sum_i a[i] * b[i] over the head dimension.
  Value dot(Value a, Value bRow);

  int64_t d;
};

Value AttentionBuilder::dot(Value a, Value bRow) {
  auto vec = VectorType::get({kLanes}, f32);
  Value acc = arith::ConstantOp::create(
      b, loc, vec, DenseElementsAttr::get(vec, b.getF32FloatAttr(0.0)));
  int64_t chunks = d / kLanes;
  for (int64_t c = 0; c < chunks; ++c) {
    Value x = load(vec, a, f32, cI64(c * kLanes));
    Value y = load(vec, bRow, f32, cI64(c * kLanes));
    acc = math::FmaOp::create(b, loc, x, y, acc);
  }
  Value sum = vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD, acc);
  for (int64_t i = chunks * kLanes; i < d; ++i) {
    Value x = load(f32, a, f32, cI64(i));
    Value y = load(f32, bRow, f32, cI64(i));
    sum = math::FmaOp::create(b, loc, x, y, sum);
  }
  return sum;
}

LLVM::LLVMFuncOp AttentionBuilder::buildTask() {
  OpBuilder::InsertionGuard guard(b);
  LLVM::LLVMFuncOp task =
      createTask("tern_attention_d" + std::to_string(d) + "_task");
  Block *entry = &task.getBody().front();
  Value closure = entry->getArgument(0);
  Value begin = entry->getArgument(1), end = entry->getArgument(2);
  Value q = closurePointer(closure, kQ), kc = closurePointer(closure, kKc),
        vc = closurePointer(closure, kVc), out = closurePointer(closure, kOut);
  Value heads = closureSlot(closure, kHeads),
        kvHeads = closureSlot(closure, kKvHeads),
        capacity = closureSlot(closure, kCapacity),
        p0 = closureSlot(closure, kP0);
  Value scale = arith::BitcastOp::create(
      b, loc, f32,
      arith::TruncIOp::create(b, loc, i32, closureSlot(closure, kScale)));
  Value qs0 = closureSlot(closure, kQStride0), qs1 = closureSlot(closure, kQStride1),
        ks0 = closureSlot(closure, kKStride0), ks1 = closureSlot(closure, kKStride1),
        vs0 = closureSlot(closure, kVStride0), vs1 = closureSlot(closure, kVStride1);
  Value group = divui(heads, kvHeads);
  Value scores = malloc(muli(capacity, cI64(4)));
  auto vec = VectorType::get({kLanes}, f32);
  Value negInf = cF32(-std::numeric_limits<double>::infinity());

  auto pairs = scf::ForOp::create(b, loc, toIdx(begin), toIdx(end), cIdx(1));
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(pairs.getBody());
    Value pair = toI64(pairs.getInductionVar());
    Value t = divui(pair, heads);
    Value head = arith::RemUIOp::create(b, loc, pair, heads);
    Value kvHead = divui(head, group);
    Value keys = addi(addi(p0, t), cI64(1));
    Value qRow = gep(q, f32, addi(muli(t, qs0), muli(head, qs1)));
    Value oRow = gep(out, f32, muli(pair, cI64(d)));
    Value kBase = muli(kvHead, ks0), vBase = muli(kvHead, vs0);

    // scores[j] = scale * q . k_j, and their maximum: kLanes keys at a time
    // (one accumulator each, summed into one vector of scores by a tree of
    // shuffles), then the remaining keys one by one.
    Value keyBlocks = muli(divui(keys, cI64(kLanes)), cI64(kLanes));
    auto blockLoop =
        scf::ForOp::create(b, loc, cIdx(0), toIdx(keyBlocks), cIdx(kLanes),
                           ValueRange{Value(vector::BroadcastOp::create(
                               b, loc, vec, negInf))});
    {
      OpBuilder::InsertionGuard g2(b);
      b.setInsertionPointToStart(blockLoop.getBody());
      Value j0 = toI64(blockLoop.getInductionVar());
      SmallVector<Value> kRows;
      for (int64_t kk = 0; kk < kLanes; ++kk)
        kRows.push_back(gep(kc, f32, addi(kBase, muli(addi(j0, cI64(kk)), ks1))));
      Value zero = arith::ConstantOp::create(
          b, loc, vec, DenseElementsAttr::get(vec, b.getF32FloatAttr(0.0)));
      SmallVector<Value> accs(kLanes, zero);
      for (int64_t c = 0; c < d / kLanes; ++c) {
        Value x = load(vec, qRow, f32, cI64(c * kLanes));
        for (int64_t kk = 0; kk < kLanes; ++kk)
          accs[kk] = math::FmaOp::create(
              b, loc, x, load(vec, kRows[kk], f32, cI64(c * kLanes)), accs[kk]);
      }
      Value s = sumEach(accs);
      for (int64_t i = d / kLanes * kLanes; i < d; ++i) {
        SmallVector<Value> column;
        for (int64_t kk = 0; kk < kLanes; ++kk)
          column.push_back(load(f32, kRows[kk], f32, cI64(i)));
        Value qi = vector::BroadcastOp::create(b, loc, vec,
                                               load(f32, qRow, f32, cI64(i)));
        s = math::FmaOp::create(
            b, loc, qi, vector::FromElementsOp::create(b, loc, vec, column), s);
      }
      s = arith::MulFOp::create(b, loc, s,
                                vector::BroadcastOp::create(b, loc, vec, scale));
      store(s, scores, f32, j0);
      scf::YieldOp::create(
          b, loc,
          Value(arith::MaximumFOp::create(b, loc, blockLoop.getRegionIterArg(0), s)));
    }
    Value blockMax = vector::ReductionOp::create(
        b, loc, vector::CombiningKind::MAXIMUMF, blockLoop.getResult(0));
    auto scoreLoop = scf::ForOp::create(b, loc, toIdx(keyBlocks), toIdx(keys),
                                        cIdx(1), ValueRange{blockMax});
    {
      OpBuilder::InsertionGuard g2(b);
      b.setInsertionPointToStart(scoreLoop.getBody());
      Value j = toI64(scoreLoop.getInductionVar());
      Value kRow = gep(kc, f32, addi(kBase, muli(j, ks1)));
      Value s = arith::MulFOp::create(b, loc, dot(qRow, kRow), scale);
      store(s, scores, f32, j);
      scf::YieldOp::create(
          b, loc,
          Value(arith::MaximumFOp::create(b, loc, scoreLoop.getRegionIterArg(0), s)));
    }
    Value max = scoreLoop.getResult(0);
    // scores[j] = exp(scores[j] - max), and their sum.
    auto expLoop = scf::ForOp::create(b, loc, cIdx(0), toIdx(keys), cIdx(1),
                                      ValueRange{cF32(0.0)});
    {
      OpBuilder::InsertionGuard g2(b);
      b.setInsertionPointToStart(expLoop.getBody());
      Value j = toI64(expLoop.getInductionVar());
      Value e = math::ExpOp::create(
          b, loc,
          arith::SubFOp::create(b, loc, load(f32, scores, f32, j), max));
      store(e, scores, f32, j);
      scf::YieldOp::create(
          b, loc, Value(arith::AddFOp::create(b, loc, expLoop.getRegionIterArg(0), e)));
    }
    Value inverse =
        arith::DivFOp::create(b, loc, cF32(1.0), expLoop.getResult(0));

    // out = sum_j (scores[j] / sum) * v_j, kLanes columns at a time.
    int64_t chunks = d / kLanes;
    auto accumulate = [&](int64_t column, Type type) {
      Value zero = isa<VectorType>(type)
                       ? Value(arith::ConstantOp::create(
                             b, loc, type,
                             DenseElementsAttr::get(cast<VectorType>(type),
                                                    b.getF32FloatAttr(0.0))))
                       : cF32(0.0);
      auto loop = scf::ForOp::create(b, loc, cIdx(0), toIdx(keys), cIdx(1),
                                     ValueRange{zero});
      {
        OpBuilder::InsertionGuard g2(b);
        b.setInsertionPointToStart(loop.getBody());
        Value j = toI64(loop.getInductionVar());
        Value w = arith::MulFOp::create(b, loc, load(f32, scores, f32, j),
                                        inverse);
        Value vRow = gep(vc, f32, addi(vBase, muli(j, vs1)));
        Value v = load(type, vRow, f32, cI64(column));
        if (isa<VectorType>(type))
          w = vector::BroadcastOp::create(b, loc, type, w);
        scf::YieldOp::create(
            b, loc,
            Value(math::FmaOp::create(b, loc, w, v, loop.getRegionIterArg(0))));
      }
      store(loop.getResult(0), oRow, f32, cI64(column));
    };
    for (int64_t c = 0; c < chunks; ++c)
      accumulate(c * kLanes, vec);
    for (int64_t i = chunks * kLanes; i < d; ++i)
      accumulate(i, f32);
  }
  free(scores);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return task;
}

func::FuncOp AttentionBuilder::build() {
  declareRuntime();
  LLVM::LLVMFuncOp task = buildTask();
  OpBuilder::InsertionGuard guard(b);
  func::FuncOp fn = createKernelFunction(
      attentionKernelName(d), {ptr, ptr, ptr, ptr, i64, i64, i64, i64, i64, f32,
                               i64, i64, i64, i64, i64, i64});
  Block *entry = &fn.getBody().front();
  SmallVector<Value> args(entry->getArguments().begin(),
                          entry->getArguments().end());
  Value closure = createClosure(args);
  parallelFor(task, closure, muli(args[kTokens], args[kHeads]));
  func::ReturnOp::create(b, loc);
  return fn;
}

} // namespace

std::string mlir::tern::attentionKernelName(int64_t headDim) {
  return "tern_attention_d" + std::to_string(headDim);
}

func::FuncOp mlir::tern::getOrCreateAttentionKernel(ModuleOp module,
                                                    int64_t headDim) {
  if (auto existing =
          module.lookupSymbol<func::FuncOp>(attentionKernelName(headDim)))
    return existing;
  return AttentionBuilder(module, headDim).build();
}
