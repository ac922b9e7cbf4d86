//===- InitAll.cpp - Register every dialect and pass Tern uses ------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/InitAll.h"

#include "tern/Conversion/Passes.h"
#include "tern/Dialect/Tern/IR/TernDialect.h"
#include "tern/Dialect/Tern/Transforms/Passes.h"
#include "tern/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::tern::registerAllDialects(DialectRegistry &registry) {
  registry.insert<TernDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels (gpu, nvvm, llvm) to LLVM IR.
  mlir::registerAllToLLVMIRTranslations(registry);
}

void mlir::tern::registerAllPasses() {
  registerTernPasses();
  registerTernConversionPasses();
  registerTernPipelines();
  mlir::registerAllPasses();
}
