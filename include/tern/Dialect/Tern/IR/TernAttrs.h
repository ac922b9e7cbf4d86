//===- TernAttrs.h - tern attributes ----------------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DIALECT_TERN_IR_TERNATTRS_H
#define TERN_DIALECT_TERN_IR_TERNATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "tern/Support/Packing.h"

#include "tern/Dialect/Tern/IR/TernEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tern/Dialect/Tern/IR/TernAttrs.h.inc"

namespace mlir::tern {
/// Parses a layout given on a command line or as a pass option: either the
/// attribute itself ("#tern.layout<i2, block = 256>") or the short form
/// "ENCODING[:BLOCK][:ORDER]" ("i2:256", "i2:128:msb", "b3", "i8"). On failure
/// returns null and sets `error`.
LayoutAttr parseLayoutSpec(MLIRContext *context, llvm::StringRef spec,
                           std::string &error);
} // namespace mlir::tern

#endif // TERN_DIALECT_TERN_IR_TERNATTRS_H
