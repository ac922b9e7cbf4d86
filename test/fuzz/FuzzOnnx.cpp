//===- FuzzOnnx.cpp - ONNX importer fuzz target ---------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Input: a .onnx file (a ModelProto). Parses it and imports the graph, as a
// language model when it looks like one and as `main` otherwise; an
// imported module must verify, a rejected one must say why.
//
//===----------------------------------------------------------------------===//
#include "FuzzFiles.h"
#include "FuzzImport.h"
#include "tern/Import/ONNX/Import.h"

using namespace mlir::tern;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = tern::fuzz::writeFile(
      "model.onnx",
      std::string_view(reinterpret_cast<const char *>(data), size));
  std::string error;
  std::unique_ptr<onnx_import::OnnxModel> model =
      onnx_import::OnnxModel::open(path, error);
  if (!model) {
    if (error.empty())
      std::abort();
    return 0;
  }
  for (bool lift : {true, false}) {
    onnx_import::ImportOptions options;
    options.liftLanguageModel = lift;
    options.context = 16;
    onnx_import::ModelInfo info;
    std::vector<std::string> warnings;
    error.clear();
    mlir::OwningOpRef<mlir::ModuleOp> module = onnx_import::importModel(
        &tern::fuzz::context(), *model, options, info, error, warnings);
    tern::fuzz::checkImported(module, error);
  }
  return 0;
}
