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

/// The discardable attribute that asks tern-pack-weights for a layout for one
/// op (a #tern.layout), overriding the pass's `layout` option.
inline constexpr llvm::StringLiteral kPackLayoutAttrName = "tern.pack_layout";

#define GEN_PASS_DECL
#include "tern/Dialect/Tern/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tern/Dialect/Tern/Transforms/Passes.h.inc"

} // namespace mlir::tern

#endif // TERN_DIALECT_TERN_TRANSFORMS_PASSES_H
