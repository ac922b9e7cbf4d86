//===- FuzzMlir.cpp - tern-opt's parser and verifiers fuzz target ---------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Input: MLIR text, as tern-opt reads it, with every dialect tern-opt
// registers. What parses is verified; the tern ops' verifiers must reject
// what their parsers accept but the ops do not allow (shapes, layouts,
// attributes), without crashing. A module that verifies is printed (the
// custom printers run on whatever the verifiers let through).
//
//===----------------------------------------------------------------------===//
#include "FuzzImport.h"

#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &context = tern::fuzz::context();
  // As tern-opt reads it: a null-terminated buffer (the lexer relies on
  // the terminator).
  std::string text(reinterpret_cast<const char *>(data), size);
  llvm::StringRef source(text.c_str(), text.size());
  mlir::ParserConfig config(&context, /*verifyAfterParse=*/true);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, config);
  if (!module)
    return 0;
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  return 0;
}
