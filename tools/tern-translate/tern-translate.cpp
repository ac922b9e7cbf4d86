//===- tern-translate.cpp - Model formats to MLIR --------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// mlir-translate for Tern's importers: `tern-translate --import-onnx
// model.onnx` prints the module ternc compiles from that file (the same as
// `ternc model.onnx --emit=mlir`), without running any pass. External data
// is found next to the model, so the input must be a file path, not stdin.
//
//===----------------------------------------------------------------------===//
#include "tern/InitAll.h"
#include "tern/Import/ONNX/Import.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::tern;

static llvm::cl::opt<bool> onnxLift(
    "onnx-lift-lm",
    llvm::cl::desc("--import-onnx: lift a causal language model's prefill "
                   "graph to KV-cache entry points (default on)"),
    llvm::cl::init(true));
static llvm::cl::opt<int64_t> onnxContext(
    "onnx-context",
    llvm::cl::desc("--import-onnx: KV-cache capacity of a lifted model"),
    llvm::cl::init(2048));

int main(int argc, char **argv) {
  // Weights point into the parsed models: they live until the tool exits.
  static std::vector<std::unique_ptr<onnx_import::OnnxModel>> models;
  TranslateToMLIRRegistration importOnnx(
      "import-onnx", "Import an ONNX model (.onnx file) to tern/linalg IR",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context)
          -> OwningOpRef<Operation *> {
        std::string path =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                ->getBufferIdentifier()
                .str();
        std::string error;
        if (path.empty() || path == "<stdin>") {
          emitError(UnknownLoc::get(context))
              << "--import-onnx reads a model file (its external data lies "
                 "beside it), not stdin";
          return nullptr;
        }
        std::unique_ptr<onnx_import::OnnxModel> model =
            onnx_import::OnnxModel::open(path, error);
        if (!model) {
          emitError(UnknownLoc::get(context)) << error;
          return nullptr;
        }
        onnx_import::ImportOptions options;
        options.liftLanguageModel = onnxLift;
        options.context = onnxContext;
        onnx_import::ModelInfo info;
        std::vector<std::string> warnings;
        OwningOpRef<ModuleOp> module = onnx_import::importModel(
            context, *model, options, info, error, warnings);
        for (const std::string &warning : warnings)
          emitWarning(UnknownLoc::get(context)) << warning;
        if (!module) {
          emitError(UnknownLoc::get(context)) << error;
          return nullptr;
        }
        models.push_back(std::move(model));
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });
  return failed(mlirTranslateMain(argc, argv, "Tern model translation"));
}
