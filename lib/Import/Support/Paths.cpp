//===- Paths.cpp - Files named inside a model directory -------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/Paths.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

bool mlir::tern::resolveInsideDirectory(llvm::StringRef directory,
                                        llvm::StringRef fileName,
                                        llvm::StringRef what,
                                        std::string &path,
                                        std::string &error) {
  bool hasParent = llvm::any_of(
      llvm::make_range(llvm::sys::path::begin(fileName),
                       llvm::sys::path::end(fileName)),
      [](llvm::StringRef part) { return part == ".."; });
  if (fileName.empty() || llvm::sys::path::is_absolute(fileName) || hasParent) {
    error = directory.str() + ": " + what.str() + " '" + fileName.str() +
            "' escapes the model directory";
    return false;
  }
  llvm::SmallString<256> joined(directory);
  llvm::sys::path::append(joined, fileName);
  llvm::SmallString<256> real, realDir;
  if (llvm::sys::fs::real_path(joined, real) ||
      llvm::sys::fs::real_path(directory, realDir)) {
    error = joined.str().str() + ": cannot open: no such file";
    return false;
  }
  if (!llvm::StringRef(real).starts_with((realDir + "/").str())) {
    error = directory.str() + ": " + what.str() + " '" + fileName.str() +
            "' resolves outside the model directory";
    return false;
  }
  path = joined.str().str();
  return true;
}
