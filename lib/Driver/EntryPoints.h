//===- EntryPoints.h - Artifact entry points of a module --------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_LIB_DRIVER_ENTRYPOINTS_H
#define TERN_LIB_DRIVER_ENTRYPOINTS_H

#include "tern/Support/Artifact.h"

#include "mlir/IR/BuiltinOps.h"

#include <vector>

namespace mlir::tern {

/// The argument / result attribute that marks an i8 tensor as unsigned
/// bytes (u8 in the artifact's signature).
inline constexpr llvm::StringLiteral kUnsignedAttrName = "tern.unsigned";

/// The entry points of an artifact: every public function of `module`, whose
/// arguments and results must be ranked tensors of a dtype the runtime
/// knows. Reports every offending function on the module and fails.
LogicalResult collectEntryPoints(ModuleOp module,
                                 std::vector<::tern::FunctionSignature> &out);

} // namespace mlir::tern

#endif // TERN_LIB_DRIVER_ENTRYPOINTS_H
