//===- AttentionKernel.h - Causal GQA attention over a KV cache -*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_LIB_CONVERSION_TERNTOKERNELS_ATTENTIONKERNEL_H
#define TERN_LIB_CONVERSION_TERNTOKERNELS_ATTENTIONKERNEL_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::tern {

std::string attentionKernelName(int64_t headDim);

/// The attention kernel for `headDim` in `module`, created on first use.
func::FuncOp getOrCreateAttentionKernel(ModuleOp module, int64_t headDim);

} // namespace mlir::tern

#endif // TERN_LIB_CONVERSION_TERNTOKERNELS_ATTENTIONKERNEL_H
