//===- Passes.h - tern transformation passes --------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DIALECT_TERN_TRANSFORMS_PASSES_H
#define TERN_DIALECT_TERN_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include "tern/Dialect/Tern/IR/TernDialect.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "tern/Dialect/Tern/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tern/Dialect/Tern/Transforms/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_DIALECT_TERN_TRANSFORMS_PASSES_H
