//===- Model.h - A parsed ONNX model ------------------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The protobuf types come from Debian's libonnx-dev (onnx-ml.pb.h, namespace
// `onnx`), which needs ONNX_ML and ONNX_NAMESPACE defined; only the importer
// includes this header.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_LIB_IMPORT_ONNX_MODEL_H
#define TERN_LIB_IMPORT_ONNX_MODEL_H

#include "tern/Import/ONNX/Import.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <deque>
#include <optional>

namespace mlir::tern::onnx_import {

struct OnnxModel::Impl {
  std::string path, directory;
  onnx::ModelProto proto;
  /// Mapped external data files, by path.
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> externalFiles;
  /// Initializers given in typed fields, converted to little-endian bytes.
  std::deque<std::vector<char>> converted;

  /// The `bytes` bytes of `tensor`'s values: its raw_data in place, its
  /// external data mapped (inside the model's directory, in range), or its
  /// typed fields converted. Nullopt with `error` naming the tensor.
  std::optional<llvm::ArrayRef<char>>
  tensorBytes(const onnx::TensorProto &tensor, int64_t bytes,
              std::string &error);
};

} // namespace mlir::tern::onnx_import

#endif // TERN_LIB_IMPORT_ONNX_MODEL_H
