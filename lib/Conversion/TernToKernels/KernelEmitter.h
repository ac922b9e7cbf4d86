//===- KernelEmitter.h - Helpers for emitting CPU kernels -------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The kernels of convert-tern-to-kernels are emitted as scf/arith/vector IR
// over raw LLVM pointers. This class holds what they share: typed constants,
// pointer arithmetic, unaligned loads and stores, the runtime declarations
// (malloc, free, the parallel-for hook) and the call through that hook.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_LIB_CONVERSION_TERNTOKERNELS_KERNELEMITTER_H
#define TERN_LIB_CONVERSION_TERNTOKERNELS_KERNELEMITTER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace tern {
enum class RuntimeError : int32_t;
} // namespace tern

namespace mlir::tern {

/// Declares the generated code's error word, __tern_error (once).
void declareErrorWord(ModuleOp module);
/// Stores `error` to __tern_error.
void emitSetError(OpBuilder &b, Location loc, ::tern::RuntimeError error);

class KernelEmitter {
protected:
  explicit KernelEmitter(ModuleOp module);

  Value cI64(int64_t v) { return arith::ConstantIntOp::create(b, loc, i64, v); }
  Value cI32(int64_t v) { return arith::ConstantIntOp::create(b, loc, i32, v); }
  Value cIdx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value cF32(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value toIdx(Value v);
  Value toI64(Value v);
  Value gep(Value base, Type elem, Value index);
  Value load(Type type, Value base, Type elem, Value index);
  void store(Value value, Value base, Type elem, Value index);
  Value muli(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value addi(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value subi(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value divui(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value intSplat(Type elem, int64_t value, int64_t lanes);
  /// Lane i of the result = the sum of accs[i]'s lanes, for N vectors of L
  /// lanes (N <= L, both powers of two; integer or float): a tree of
  /// shuffles and adds, N - 1 + log2(L / N) adds against N * log2(L) for N
  /// reductions. Null when the counts do not fit. Float sums are added in
  /// the tree's order, not lane order.
  Value sumEach(ArrayRef<Value> accs);

  /// Declares malloc, free, the zero-initialized parallel-for hook and the
  /// error word.
  void declareRuntime();
  /// malloc(max(bytes, 1)).
  Value malloc(Value bytes);
  void free(Value pointer);
  /// Runs task(closure, 0, n) through the runtime's pool, or serially when
  /// no pool is installed.
  void parallelFor(LLVM::LLVMFuncOp task, Value closure, Value n);
  /// A new internal `void name(ptr closure, i64 begin, i64 end)`, with the
  /// builder at the start of its body.
  LLVM::LLVMFuncOp createTask(StringRef name);
  /// A new private kernel `void name(argTypes...)` at the end of the module,
  /// internal to the artifact and never inlined, with the builder at the
  /// start of its body.
  func::FuncOp createKernelFunction(StringRef name, TypeRange argTypes);
  /// A closure of i64 slots on the stack; pointers are stored as integers.
  Value createClosure(ArrayRef<Value> slots);
  Value closureSlot(Value closure, int64_t slot);
  Value closurePointer(Value closure, int64_t slot);

  ModuleOp module;
  OpBuilder b;
  Location loc;
  Type i8, i16, i32, i64, f32, ptr;
};

} // namespace mlir::tern

#endif // TERN_LIB_CONVERSION_TERNTOKERNELS_KERNELEMITTER_H
