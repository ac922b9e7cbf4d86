//===- RowKernels.cpp - Row-wise normalization and quantization -----------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Emits tern_rms_norm, tern_quantize and tern_rms_norm_quantize (see
// RowKernels.h). The outer function hands the rows to the runtime's
// parallel-for; the task walks each row kLanes f32 at a time with a scalar
// tail:
//
//   [norm]      sum = sum_k x^2;  inv = 1 / sqrt(sum / K + normEpsilon)
//               value(k) = (x[k] * inv) * g[k]          (else value = x)
//   [quantize]  m = max(max_k |value(k)|, quantEpsilon)
//               s = m / 127;  q[k] = i8 clamp(round_half_even(value(k) *
//                                                  (127 / m)), -128, 127)
//   [else]      out[k] = value(k)
//
// value(k) is recomputed in each pass rather than stored: a row is at most a
// few tens of KiB and stays in L1 between passes.
//
//===----------------------------------------------------------------------===//
#include "RowKernels.h"
#include "KernelEmitter.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::tern;

std::string RowKernelSpec::name() const {
  std::string prefix = relu2Gated ? "tern_relu2_gated_" : "tern_";
  if (norm && quantize)
    return prefix + "rms_norm_quantize";
  return prefix + (norm ? "rms_norm" : "quantize");
}

namespace {

enum Slot : int64_t {
  kX, kLdx, kG, kOut, kLdout, kS, kM, kK, kNormEpsilon, kQuantEpsilon,
  kUpOffset
};

/// f32 lanes per step.
constexpr int64_t kLanes = 16;

class RowKernelBuilder : KernelEmitter {
public:
  RowKernelBuilder(ModuleOp module, const RowKernelSpec &spec)
      : KernelEmitter(module), spec(spec) {}

  func::FuncOp build();

private:
  LLVM::LLVMFuncOp buildTask();
  Type f32Of(int64_t lanes) {
    return lanes == 1 ? f32 : Type(VectorType::get({lanes}, f32));
  }
  Value splat(Value scalar, int64_t lanes) {
    if (lanes == 1)
      return scalar;
    return vector::BroadcastOp::create(b, loc, f32Of(lanes), scalar);
  }
  Value splat(double v, int64_t lanes) { return splat(cF32(v), lanes); }
  /// The element count covered by whole kLanes steps.
  Value fullSteps(Value k) {
    return muli(divui(k, cI64(kLanes)), cI64(kLanes));
  }
  /// f(j, lanes) for j in [0, k): kLanes elements at a time, then one by one.
  void forEachElement(Value k, function_ref<void(Value, int64_t)> f);
  /// init combined (add or maximumf) with f(j, lanes) over [0, k), as one
  /// scalar.
  Value reduceRow(Value k, vector::CombiningKind kind,
                  function_ref<Value(Value, int64_t)> f);

  RowKernelSpec spec;
};

} // namespace

void RowKernelBuilder::forEachElement(Value k,
                                      function_ref<void(Value, int64_t)> f) {
  Value full = fullSteps(k);
  auto vectors = scf::ForOp::create(b, loc, cIdx(0), toIdx(full), cIdx(kLanes));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(vectors.getBody());
    f(toI64(vectors.getInductionVar()), kLanes);
  }
  auto tail = scf::ForOp::create(b, loc, toIdx(full), toIdx(k), cIdx(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(tail.getBody());
  f(toI64(tail.getInductionVar()), 1);
}

Value RowKernelBuilder::reduceRow(Value k, vector::CombiningKind kind,
                                  function_ref<Value(Value, int64_t)> f) {
  bool add = kind == vector::CombiningKind::ADD;
  auto combine = [&](Value acc, Value v) -> Value {
    if (add)
      return arith::AddFOp::create(b, loc, acc, v);
    return arith::MaximumFOp::create(b, loc, acc, v);
  };
  Value full = fullSteps(k);
  auto vectors = scf::ForOp::create(b, loc, cIdx(0), toIdx(full), cIdx(kLanes),
                                    ValueRange{splat(0.0, kLanes)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(vectors.getBody());
    Value v = f(toI64(vectors.getInductionVar()), kLanes);
    scf::YieldOp::create(b, loc, combine(vectors.getRegionIterArg(0), v));
  }
  Value total =
      vector::ReductionOp::create(b, loc, kind, vectors.getResult(0));
  auto tail = scf::ForOp::create(b, loc, toIdx(full), toIdx(k), cIdx(1),
                                 ValueRange{total});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(tail.getBody());
    Value v = f(toI64(tail.getInductionVar()), 1);
    scf::YieldOp::create(b, loc, combine(tail.getRegionIterArg(0), v));
  }
  return tail.getResult(0);
}

LLVM::LLVMFuncOp RowKernelBuilder::buildTask() {
  OpBuilder::InsertionGuard guard(b);
  LLVM::LLVMFuncOp task = createTask(spec.name() + "_task");
  Block *entry = &task.getBody().front();
  Value closure = entry->getArgument(0);
  Value begin = entry->getArgument(1), end = entry->getArgument(2);
  auto slotF32 = [&](Slot s) -> Value {
    return arith::BitcastOp::create(
        b, loc, f32,
        arith::TruncIOp::create(b, loc, i32, closureSlot(closure, s)));
  };
  Value x = closurePointer(closure, kX), out = closurePointer(closure, kOut);
  Value ldx = closureSlot(closure, kLdx), ldout = closureSlot(closure, kLdout);
  Value k = closureSlot(closure, kK);
  Value g = spec.norm ? closurePointer(closure, kG) : Value();
  Value s = spec.quantize ? closurePointer(closure, kS) : Value();
  Value normEpsilon = spec.norm ? slotF32(kNormEpsilon) : Value();
  Value quantEpsilon = spec.quantize ? slotF32(kQuantEpsilon) : Value();

  auto rows = scf::ForOp::create(b, loc, toIdx(begin), toIdx(end), cIdx(1));
  b.setInsertionPointToStart(rows.getBody());
  Value row = toI64(rows.getInductionVar());
  Value xRow = gep(x, f32, muli(row, ldx));
  Value upRow = spec.relu2Gated
                    ? gep(xRow, f32, closureSlot(closure, kUpOffset))
                    : Value();

  // The row's input at j: x, or its squared-ReLU gate times the up half
  // (the same operations, in the same order, as the linalg it replaces).
  auto input = [&](Value j, int64_t lanes) -> Value {
    Value v = load(f32Of(lanes), xRow, f32, j);
    if (!spec.relu2Gated)
      return v;
    v = arith::MaximumFOp::create(b, loc, v, splat(0.0, lanes));
    v = arith::MulFOp::create(b, loc, v, v);
    return arith::MulFOp::create(b, loc, v, load(f32Of(lanes), upRow, f32, j));
  };
  Value inverseRms;
  if (spec.norm) {
    Value sum = reduceRow(k, vector::CombiningKind::ADD,
                          [&](Value j, int64_t lanes) -> Value {
                            Value v = input(j, lanes);
                            return arith::MulFOp::create(b, loc, v, v);
                          });
    Value count = arith::SIToFPOp::create(b, loc, f32, k);
    Value mean = arith::DivFOp::create(b, loc, sum, count);
    Value root = math::SqrtOp::create(
        b, loc, arith::AddFOp::create(b, loc, mean, normEpsilon));
    inverseRms = arith::DivFOp::create(b, loc, cF32(1.0), root);
  }
  // The row's value at j: x, or x normalized and weighted.
  auto value = [&](Value j, int64_t lanes) -> Value {
    Value v = input(j, lanes);
    if (!spec.norm)
      return v;
    v = arith::MulFOp::create(b, loc, v, splat(inverseRms, lanes));
    return arith::MulFOp::create(b, loc, v, load(f32Of(lanes), g, f32, j));
  };

  if (!spec.quantize) {
    Value outRow = gep(out, f32, muli(row, ldout));
    forEachElement(k, [&](Value j, int64_t lanes) {
      store(value(j, lanes), outRow, f32, j);
    });
  } else {
    Value absMax = reduceRow(k, vector::CombiningKind::MAXIMUMF,
                             [&](Value j, int64_t lanes) -> Value {
                               return math::AbsFOp::create(b, loc,
                                                           value(j, lanes));
                             });
    Value m = arith::MaximumFOp::create(b, loc, absMax, quantEpsilon);
    Value multiplier = arith::DivFOp::create(b, loc, cF32(127.0), m);
    store(arith::DivFOp::create(b, loc, m, cF32(127.0)), s, f32, row);
    Value outRow = gep(out, i8, muli(row, ldout));
    forEachElement(k, [&](Value j, int64_t lanes) {
      Value v = arith::MulFOp::create(b, loc, value(j, lanes),
                                      splat(multiplier, lanes));
      v = math::RoundEvenOp::create(b, loc, v);
      v = arith::MaximumFOp::create(b, loc, v, splat(-128.0, lanes));
      v = arith::MinimumFOp::create(b, loc, v, splat(127.0, lanes));
      Type i8Of = lanes == 1 ? i8 : Type(VectorType::get({lanes}, i8));
      store(arith::FPToSIOp::create(b, loc, i8Of, v), outRow, i8, j);
    });
  }
  b.setInsertionPointAfter(rows);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return task;
}

func::FuncOp RowKernelBuilder::build() {
  declareRuntime();
  LLVM::LLVMFuncOp task = buildTask();
  OpBuilder::InsertionGuard guard(b);
  func::FuncOp fn = createKernelFunction(
      spec.name(), {ptr, i64, ptr, ptr, i64, ptr, i64, i64, f32, f32, i64});
  Block *entry = &fn.getBody().front();
  SmallVector<Value> args(entry->getArguments().begin(),
                          entry->getArguments().end());
  parallelFor(task, createClosure(args), args[kM]);
  func::ReturnOp::create(b, loc);
  return fn;
}

func::FuncOp mlir::tern::getOrCreateRowKernel(ModuleOp module,
                                              const RowKernelSpec &spec) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(spec.name()))
    return existing;
  return RowKernelBuilder(module, spec).build();
}
