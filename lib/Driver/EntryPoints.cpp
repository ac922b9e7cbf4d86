//===- EntryPoints.cpp - Artifact entry points of a module ----------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "EntryPoints.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::tern;

static bool toTensorSignature(Type type, ::tern::TensorSignature &out) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return false;
  Type e = tensor.getElementType();
  if (e.isF32())
    out.dtype = ::tern::DType::F32;
  else if (e.isF16())
    out.dtype = ::tern::DType::F16;
  else if (e.isBF16())
    out.dtype = ::tern::DType::BF16;
  else if (e.isF64())
    out.dtype = ::tern::DType::F64;
  else if (e.isInteger(8))
    out.dtype = ::tern::DType::I8;
  else if (e.isInteger(16))
    out.dtype = ::tern::DType::I16;
  else if (e.isInteger(32))
    out.dtype = ::tern::DType::I32;
  else if (e.isInteger(64))
    out.dtype = ::tern::DType::I64;
  else if (e.isInteger(1))
    out.dtype = ::tern::DType::Bool;
  else
    return false;
  for (int64_t d : tensor.getShape())
    out.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return true;
}

LogicalResult mlir::tern::collectEntryPoints(ModuleOp module,
                                 std::vector<::tern::FunctionSignature> &out) {
  bool ok = true;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    ::tern::FunctionSignature sig;
    sig.name = func.getSymName().str();
    FunctionType type = func.getFunctionType();
    // An i8 marked tern.unsigned (an ONNX uint8) is exchanged as u8.
    auto unsignedBytes = [](::tern::TensorSignature &s, DictionaryAttr attrs) {
      if (s.dtype == ::tern::DType::I8 && attrs &&
          attrs.contains(kUnsignedAttrName))
        s.dtype = ::tern::DType::U8;
    };
    for (auto [i, t] : llvm::enumerate(type.getInputs())) {
      sig.inputs.emplace_back();
      if (toTensorSignature(t, sig.inputs.back()))
        unsignedBytes(sig.inputs.back(), func.getArgAttrDict(i));
      else {
        func.emitError() << "entry point argument #" << i << " has type " << t
                         << "; entry points take ranked tensors of f16, bf16, "
                            "f32, f64, i1, i8, i16, i32 or i64";
        ok = false;
      }
    }
    for (auto [i, t] : llvm::enumerate(type.getResults())) {
      sig.results.emplace_back();
      if (toTensorSignature(t, sig.results.back()))
        unsignedBytes(sig.results.back(), func.getResultAttrDict(i));
      else {
        func.emitError() << "entry point result #" << i << " has type " << t
                         << "; entry points return ranked tensors";
        ok = false;
      }
    }
    out.push_back(std::move(sig));
  }
  if (ok && out.empty()) {
    module.emitError() << "the module has no public function to compile";
    ok = false;
  }
  return success(ok);
}

