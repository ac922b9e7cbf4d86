//===- KernelEmitter.cpp - Helpers for emitting CPU kernels ---------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "KernelEmitter.h"
#include "tern/Conversion/TernToKernels/MatmulKernel.h"
#include "tern/Support/Artifact.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::tern;

KernelEmitter::KernelEmitter(ModuleOp module)
    : module(module), b(module.getContext()), loc(module.getLoc()) {
  MLIRContext *ctx = module.getContext();
  i8 = IntegerType::get(ctx, 8);
  i16 = IntegerType::get(ctx, 16);
  i32 = IntegerType::get(ctx, 32);
  i64 = IntegerType::get(ctx, 64);
  f32 = Float32Type::get(ctx);
  ptr = LLVM::LLVMPointerType::get(ctx);
}

Value KernelEmitter::toIdx(Value v) {
  if (v.getType().isIndex())
    return v;
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

Value KernelEmitter::toI64(Value v) {
  if (v.getType() == i64)
    return v;
  return arith::IndexCastOp::create(b, loc, i64, v);
}

Value KernelEmitter::gep(Value base, Type elem, Value index) {
  return LLVM::GEPOp::create(b, loc, ptr, elem, base, ValueRange{toI64(index)});
}

Value KernelEmitter::load(Type type, Value base, Type elem, Value index) {
  return LLVM::LoadOp::create(b, loc, type, gep(base, elem, index),
                              /*alignment=*/1);
}

void KernelEmitter::store(Value value, Value base, Type elem, Value index) {
  LLVM::StoreOp::create(b, loc, value, gep(base, elem, index),
                        /*alignment=*/1);
}

Value KernelEmitter::intSplat(Type elem, int64_t value, int64_t lanes) {
  auto type = VectorType::get({lanes}, elem);
  return arith::ConstantOp::create(
      b, loc, type, DenseElementsAttr::get(type, b.getIntegerAttr(elem, value)));
}

/// Sums each of `accs` (N vectors of L lanes, N <= L, both powers of two)
/// into lane i of one vector: pairs of vectors are halved into one
/// (z = shuffle(x, y, first halves) + shuffle(x, y, second halves)) until
/// one is left, then that one is halved into itself. N - 1 + log2(L / N)
/// adds and twice as many shuffles, against N full reductions of log2(L)
/// steps each. Null when the counts do not fit.
Value KernelEmitter::sumEach(ArrayRef<Value> accs) {
  auto type = cast<VectorType>(accs.front().getType());
  const int64_t lanes = type.getNumElements();
  const int64_t count = int64_t(accs.size());
  if (count < 2 || count > lanes || !llvm::isPowerOf2_64(uint64_t(count)) ||
      !llvm::isPowerOf2_64(uint64_t(lanes)))
    return nullptr;
  // Each vector holds `segments` consecutive sums as segments of `width`
  // partial sums.
  SmallVector<Value> level(accs.begin(), accs.end());
  int64_t segments = 1, width = lanes;
  auto halve = [&](Value x, Value y, int64_t outSegments) {
    SmallVector<int64_t> first, second;
    for (int64_t t = 0; t < outSegments; ++t) {
      int64_t base = (t < segments ? 0 : lanes) + (t % segments) * width;
      for (int64_t i = 0; i < width / 2; ++i) {
        first.push_back(base + i);
        second.push_back(base + width / 2 + i);
      }
    }
    // A vector halved into itself fills only its first half.
    first.resize(size_t(lanes), 0);
    second.resize(size_t(lanes), 0);
    Value lo = vector::ShuffleOp::create(b, loc, x, y, first);
    Value hi = vector::ShuffleOp::create(b, loc, x, y, second);
    if (isa<FloatType>(type.getElementType()))
      return Value(arith::AddFOp::create(b, loc, lo, hi));
    return addi(lo, hi);
  };
  while (level.size() > 1) {
    SmallVector<Value> next;
    for (size_t i = 0; i < level.size(); i += 2)
      next.push_back(halve(level[i], level[i + 1], 2 * segments));
    level = std::move(next);
    segments *= 2;
    width /= 2;
  }
  Value sums = level.front();
  while (width > 1) {
    sums = halve(sums, sums, segments);
    width /= 2;
  }
  return sums;
}

void KernelEmitter::declareRuntime() {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  SymbolTable symbols(module);
  auto voidTy = LLVM::LLVMVoidType::get(b.getContext());
  if (!symbols.lookup("malloc"))
    LLVM::LLVMFuncOp::create(b, loc, "malloc",
                             LLVM::LLVMFunctionType::get(ptr, {i64}));
  if (!symbols.lookup("free"))
    LLVM::LLVMFuncOp::create(b, loc, "free",
                             LLVM::LLVMFunctionType::get(voidTy, {ptr}));
  if (!symbols.lookup(kParallelForGlobal)) {
    auto global = LLVM::GlobalOp::create(
        b, loc, ptr, /*isConstant=*/false, LLVM::Linkage::External,
        kParallelForGlobal, /*value=*/Attribute());
    // Zero-initialized: serial execution until the runtime installs its pool.
    Block *block = b.createBlock(&global.getInitializerRegion());
    b.setInsertionPointToStart(block);
    LLVM::ReturnOp::create(b, loc, Value(LLVM::ZeroOp::create(b, loc, ptr)));
  }
  declareErrorWord(module);
}

void mlir::tern::declareErrorWord(ModuleOp module) {
  if (module.lookupSymbol(::tern::kErrorSymbol))
    return;
  OpBuilder b(module.getContext());
  b.setInsertionPointToStart(module.getBody());
  LLVM::GlobalOp::create(b, module.getLoc(), b.getI32Type(),
                         /*isConstant=*/false, LLVM::Linkage::External,
                         ::tern::kErrorSymbol, b.getI32IntegerAttr(0));
}

void mlir::tern::emitSetError(OpBuilder &b, Location loc,
                              ::tern::RuntimeError error) {
  auto ptr = LLVM::LLVMPointerType::get(b.getContext());
  Value address = LLVM::AddressOfOp::create(b, loc, ptr, ::tern::kErrorSymbol);
  Value code = arith::ConstantIntOp::create(b, loc, b.getI32Type(),
                                            int64_t(error));
  LLVM::StoreOp::create(b, loc, code, address);
}

Value KernelEmitter::malloc(Value bytes) {
  bytes = arith::MaxSIOp::create(b, loc, bytes, cI64(1));
  return LLVM::CallOp::create(b, loc, TypeRange{ptr}, "malloc",
                              ValueRange{bytes})
      .getResult();
}

void KernelEmitter::free(Value pointer) {
  LLVM::CallOp::create(b, loc, TypeRange{}, "free", ValueRange{pointer});
}

void KernelEmitter::parallelFor(LLVM::LLVMFuncOp task, Value closure, Value n) {
  Value hookAddr = LLVM::AddressOfOp::create(b, loc, ptr, kParallelForGlobal);
  Value hook = LLVM::LoadOp::create(b, loc, ptr, hookAddr);
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  Value serial =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq, hook, null);
  auto ifSerial = scf::IfOp::create(b, loc, TypeRange{}, serial,
                                    /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifSerial.getThenRegion().front());
  LLVM::CallOp::create(b, loc, task, ValueRange{closure, cI64(0), n});
  b.setInsertionPointToStart(&ifSerial.getElseRegion().front());
  Value taskAddr = LLVM::AddressOfOp::create(b, loc, ptr, task.getName());
  auto hookType = LLVM::LLVMFunctionType::get(
      LLVM::LLVMVoidType::get(b.getContext()), {ptr, ptr, i64});
  LLVM::CallOp::create(b, loc, hookType, ValueRange{hook, taskAddr, closure, n});
}

LLVM::LLVMFuncOp KernelEmitter::createTask(StringRef name) {
  b.setInsertionPointToEnd(module.getBody());
  auto voidTy = LLVM::LLVMVoidType::get(b.getContext());
  auto task = LLVM::LLVMFuncOp::create(
      b, loc, name, LLVM::LLVMFunctionType::get(voidTy, {ptr, i64, i64}),
      LLVM::Linkage::Internal);
  Block *entry = task.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  return task;
}

func::FuncOp KernelEmitter::createKernelFunction(StringRef name,
                                                 TypeRange argTypes) {
  b.setInsertionPointToEnd(module.getBody());
  auto fn = func::FuncOp::create(b, loc, name, b.getFunctionType(argTypes, {}));
  fn.setPrivate();
  // Called from many places: inlined, its copy loops would swell every entry
  // point (and LLVM's time on it) by thousands of instructions.
  fn->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
  // Internal to the artifact: not an entry point, not exported.
  fn->setAttr("llvm.linkage",
              LLVM::LinkageAttr::get(b.getContext(), LLVM::Linkage::Internal));
  b.setInsertionPointToStart(fn.addEntryBlock());
  return fn;
}

Value KernelEmitter::createClosure(ArrayRef<Value> slots) {
  Value closure =
      LLVM::AllocaOp::create(b, loc, ptr, i64, cI64(int64_t(slots.size())));
  for (auto [i, slot] : llvm::enumerate(slots)) {
    Value v = slot;
    if (isa<LLVM::LLVMPointerType>(v.getType()))
      v = LLVM::PtrToIntOp::create(b, loc, i64, v);
    else if (isa<FloatType>(v.getType())) // f32 bits in the low half
      v = arith::ExtUIOp::create(b, loc, i64,
                                 arith::BitcastOp::create(b, loc, i32, v));
    else
      v = toI64(v);
    store(v, closure, i64, cI64(int64_t(i)));
  }
  return closure;
}

Value KernelEmitter::closureSlot(Value closure, int64_t slot) {
  return load(i64, closure, i64, cI64(slot));
}

Value KernelEmitter::closurePointer(Value closure, int64_t slot) {
  return LLVM::IntToPtrOp::create(b, loc, ptr, closureSlot(closure, slot));
}
