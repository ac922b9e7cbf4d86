//===- Checkpoint.h - Hugging Face checkpoint directories -------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Reads a Hugging Face checkpoint directory: config.json and the weights in
// one .safetensors file or several listed by model.safetensors.index.json.
// Files are memory-mapped and every header is checked against the file it
// describes (sizes, offsets, overlaps, dtypes, shapes) before a byte of
// tensor data is touched; every error names the file and the tensor.
//
// A Checkpoint is also what other containers are imported through: the GGUF
// reader (Import/GGUF/Model.h) presents a GGUF file as Hugging Face tensor
// names and a config, with ggml block-quantized tensors as Dtype::Blocks.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_HF_CHECKPOINT_H
#define TERN_IMPORT_HF_CHECKPOINT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tern::hf {

/// safetensors element types Tern reads, and Blocks: a ggml block type
/// (Tensor::blockType) from a GGUF file.
enum class Dtype { F32, F16, BF16, U8, I8, Blocks };

llvm::StringRef toString(Dtype dtype);

/// Reads and parses a whole JSON file; errors name the file.
bool readJsonFile(const std::string &path, llvm::json::Value &out,
                  std::string &error);
size_t dtypeBytes(Dtype dtype);

struct Tensor {
  std::string name;
  std::string file; ///< the .safetensors file it lives in
  Dtype dtype;
  std::vector<int64_t> shape;
  llvm::ArrayRef<char> data; ///< into the memory-mapped file
  /// The ggml type id of a Dtype::Blocks tensor (see Import/GGUF/Gguf.h).
  uint32_t blockType = 0;

  int64_t numElements() const;
};

class Checkpoint {
public:
  /// Opens `directory`; on failure returns null and sets `error`.
  static std::unique_ptr<Checkpoint> open(llvm::StringRef directory,
                                          std::string &error);
  /// A checkpoint over tensors another reader validated: `source` names it
  /// in messages (and is its directory()); `keepAlive` owns the memory the
  /// tensors point into.
  /// `sourceName` gives the name the source calls a tensor by (for
  /// messages).
  static std::unique_ptr<Checkpoint>
  fromTensors(std::string source, llvm::json::Object config,
              std::vector<Tensor> tensors, std::shared_ptr<const void> keepAlive,
              std::function<std::string(llvm::StringRef)> sourceName);

  /// The name the checkpoint's files give the tensor Tern calls `name`:
  /// `name` itself, or the GGUF name of a GGUF file's tensor.
  std::string sourceName(llvm::StringRef name) const {
    return toSource ? toSource(name) : name.str();
  }

  const llvm::json::Object &config() const { return configJson; }
  const std::string &directory() const { return dir; }

  /// The tensor called `name`, or null.
  const Tensor *find(llvm::StringRef name) const;
  const llvm::StringMap<Tensor> &tensors() const { return byName; }

private:
  bool readConfig(std::string &error);
  bool readSafetensors(const std::string &fileName, std::string &error);
  bool resolveFile(llvm::StringRef fileName, std::string &path,
                   std::string &error) const;

  std::string dir;
  llvm::json::Object configJson;
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> buffers;
  std::shared_ptr<const void> owner;
  std::function<std::string(llvm::StringRef)> toSource;
  llvm::StringMap<Tensor> byName;
};

} // namespace mlir::tern::hf

#endif // TERN_IMPORT_HF_CHECKPOINT_H
