//===- tern-opt.cpp - The Tern optimizer driver ---------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// opt-style tool: parses IR in any registered dialect, runs passes and
// pipelines (tern's and upstream's), prints the result.
//
//===----------------------------------------------------------------------===//
#include "tern/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::tern::registerAllDialects(registry);
  mlir::tern::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Tern optimizer driver\n", registry));
}
