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
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_HF_CHECKPOINT_H
#define TERN_IMPORT_HF_CHECKPOINT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tern::hf {

/// safetensors element types Tern reads.
enum class Dtype { F32, F16, BF16, U8, I8 };

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

  int64_t numElements() const;
};

class Checkpoint {
public:
  /// Opens `directory`; on failure returns null and sets `error`.
  static std::unique_ptr<Checkpoint> open(llvm::StringRef directory,
                                          std::string &error);

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
  llvm::StringMap<Tensor> byName;
};

} // namespace mlir::tern::hf

#endif // TERN_IMPORT_HF_CHECKPOINT_H
