//===- Import.h - ONNX models to tern / linalg IR ----------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Reads an ONNX model (protobuf, the ONNX 1.12 schema from Debian's
// libonnx-dev; IR version up to 8, default-domain opsets 13 to 17) and builds
// one public function `main` with the graph's inputs and outputs. Nodes lower
// to upstream tensor dialects (linalg, tensor, arith, math) with the shapes
// inferred at import. Initializers become resource constants over the parsed
// model's bytes or the memory-mapped external data files, without a copy;
// external data must lie inside the model's directory.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_ONNX_IMPORT_H
#define TERN_IMPORT_ONNX_IMPORT_H

#include "tern/Support/Artifact.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::tern::onnx_import {

/// A parsed model and the external data files it maps; initializer
/// constants point into it, so it must outlive the imported module.
class OnnxModel {
public:
  /// Parses `path`; on failure returns null and says why in `error`.
  static std::unique_ptr<OnnxModel> open(const std::string &path,
                                         std::string &error);
  ~OnnxModel();

  struct Impl;
  Impl &impl() { return *state; }

private:
  OnnxModel();
  std::unique_ptr<Impl> state;
};

struct ImportOptions {
  /// A causal language model's prefill graph (token ids [1, T] -> logits
  /// [1, T, vocab]) becomes the KV-cache entry points `prefill`,
  /// `prefill_last` and `decode` that Hugging Face checkpoints compile to;
  /// false keeps the graph's own signature as `main`.
  bool liftLanguageModel = true;
  /// The KV cache's capacity in tokens for a lifted model (0: 2048).
  int64_t context = 0;
  /// A lifted model's output head (the MatMul by a constant that makes the
  /// logits) as int8 rows with f32 scales (`ternc --lm-head=int8`).
  bool headInt8 = false;
};

using ModelInfo = ::tern::ModelMetadata;

/// Builds the module; on failure returns null with every problem found
/// (unsupported ops listed with their node names and counts, undefined
/// inputs, bad attributes or initializers) in `error`. Warnings (an opset
/// outside 13..17) are appended to `warnings`.
/// `info` describes a lifted language model (its architecture is empty
/// when the graph was imported as `main`).
OwningOpRef<ModuleOp> importModel(MLIRContext *context, OnnxModel &model,
                                  const ImportOptions &options,
                                  ModelInfo &info, std::string &error,
                                  std::vector<std::string> &warnings);

} // namespace mlir::tern::onnx_import

#endif // TERN_IMPORT_ONNX_IMPORT_H
