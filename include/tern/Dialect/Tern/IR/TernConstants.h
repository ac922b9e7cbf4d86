//===- TernConstants.h - Reading and making weight constants ----*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Weight constants arrive either as DenseElementsAttr (small, in the IR text)
// or as DenseResourceElementsAttr blobs (large, kept out of the context's
// uniqued storage). Folders and passes read and write them through these
// helpers so both kinds behave the same.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DIALECT_TERN_IR_TERNCONSTANTS_H
#define TERN_DIALECT_TERN_IR_TERNCONSTANTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::tern {

/// Constants up to this size are made as DenseElementsAttr; larger ones (or
/// any derived from a resource) as DenseResourceElementsAttr blobs.
constexpr size_t kInlineConstantLimit = size_t(1) << 20;

/// The little-endian bytes of every element of a statically shaped constant
/// (splats expanded), or nullopt for an attribute kind that holds no raw data.
std::optional<llvm::SmallVector<char>> readConstantBytes(Attribute attr);

/// The element bytes of a non-splat dense or resource constant without a copy,
/// or nullopt (splats and other attribute kinds: use readConstantBytes).
std::optional<llvm::ArrayRef<char>> viewConstantBytes(Attribute attr);

/// The values of a float constant (f16, bf16 or f32) as f32.
std::optional<llvm::SmallVector<float>> readFloatConstant(Attribute attr);

/// Whether `attr` is a resource blob (the result of folding it should be one).
bool isResourceConstant(Attribute attr);

/// An elements attribute of `type` holding `bytes` (the element bytes in
/// row-major order), as a resource blob when large or when `asResource`.
ElementsAttr makeConstant(ShapedType type, llvm::ArrayRef<char> bytes,
                          bool asResource = false);

} // namespace mlir::tern

#endif // TERN_DIALECT_TERN_IR_TERNCONSTANTS_H
