//===- Paths.h - Files named inside a model directory ------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_PATHS_H
#define TERN_IMPORT_PATHS_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir::tern {

/// Resolves `fileName`, named by a model file in `directory` (a weight shard,
/// ONNX external data), to a path: it must be relative, contain no '..', and
/// not resolve (through symbolic links) outside the directory. On failure
/// returns false with `error` naming `what` (e.g. "weight file") and the name.
bool resolveInsideDirectory(llvm::StringRef directory, llvm::StringRef fileName,
                            llvm::StringRef what, std::string &path,
                            std::string &error);

} // namespace mlir::tern

#endif // TERN_IMPORT_PATHS_H
