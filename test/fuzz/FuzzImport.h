//===- FuzzImport.h - Importing a fuzzed checkpoint --------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// What the checkpoint and GGUF targets share: a checkpoint that opened is
// imported to tern IR the way ternc does (config values, tensor shapes and
// dtypes interpreted), and the module must verify. A rejected input must say
// why.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TEST_FUZZ_FUZZIMPORT_H
#define TERN_TEST_FUZZ_FUZZIMPORT_H

#include "tern/Import/HF/Checkpoint.h"
#include "tern/Import/HF/Import.h"
#include "tern/Dialect/Tern/IR/TernDialect.h"

#include "mlir/InitAllDialects.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

namespace tern::fuzz {

inline mlir::MLIRContext &context() {
  static mlir::MLIRContext *context = [] {
    // The dialects alone (tern and upstream), not the compiler's passes:
    // the fuzzers link only the readers and the IR they build.
    mlir::DialectRegistry registry;
    registry.insert<mlir::tern::TernDialect>();
    mlir::registerAllDialects(registry);
    auto *c = new mlir::MLIRContext(registry);
    c->loadAllAvailableDialects();
    c->printOpOnDiagnostic(false);
    // Diagnostics of a rejected input are expected; keep them quiet.
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
    return c;
  }();
  return *context;
}

/// What an importer returns: a module that verifies, or null with a
/// message. Aborts (the fuzzer's finding) otherwise.
inline void checkImported(mlir::OwningOpRef<mlir::ModuleOp> &module,
                          const std::string &error) {
  if (!module) {
    if (error.empty()) {
      std::fprintf(stderr, "import failed without a message\n");
      std::abort();
    }
    return;
  }
  if (mlir::failed(mlir::verify(*module))) {
    std::fprintf(stderr, "the imported module does not verify:\n");
    module->print(llvm::errs());
    std::abort();
  }
}

/// Imports `checkpoint` with a small KV cache; aborts when the importer
/// fails without a message or produces a module that does not verify.
inline void importAndVerify(const mlir::tern::hf::Checkpoint &checkpoint) {
  mlir::tern::hf::ImportOptions options;
  options.maxContext = 16;
  mlir::tern::hf::ModelInfo info;
  std::string error;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::tern::hf::importCheckpoint(&context(), checkpoint, options, info,
                                       error);
  checkImported(module, error);
}

} // namespace tern::fuzz

#endif // TERN_TEST_FUZZ_FUZZIMPORT_H
