//===- Passes.h - tern conversion passes ------------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CONVERSION_PASSES_H
#define TERN_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::tern {

#define GEN_PASS_DECL
#include "tern/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tern/Conversion/Passes.h.inc"

/// Patterns of convert-tern-to-linalg, for reuse in other pipelines.
void populateTernToLinalgPatterns(RewritePatternSet &patterns);

/// Expands every tern.bitlinear under `root` (per-tensor and per-row weight
/// scales) into tern.quantize, tern.matmul and tern.dequantize, then merges
/// the quantizations of a shared input (q/k/v, gate/up) by CSE.
LogicalResult expandBitLinearOps(Operation *root);

} // namespace mlir::tern

#endif // TERN_CONVERSION_PASSES_H
