//===- LinearKernel.h - Float x float matmul for tern.linear ----*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_LIB_CONVERSION_TERNTOKERNELS_LINEARKERNEL_H
#define TERN_LIB_CONVERSION_TERNTOKERNELS_LINEARKERNEL_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::tern {

std::string linearKernelName(Type weightType, bool gemv);

/// The tern.linear kernel for weights of `weightType` (f32, bf16 or f16);
/// `gemv`: the variant for a single row of activations (decode), with taller
/// tiles of weight rows.
func::FuncOp getOrCreateLinearKernel(ModuleOp module, Type weightType,
                                     bool gemv);

} // namespace mlir::tern

#endif // TERN_LIB_CONVERSION_TERNTOKERNELS_LINEARKERNEL_H
