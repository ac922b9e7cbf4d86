//===- Gguf.h - The GGUF container: metadata and tensors --------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Reads a GGUF file (versions 2 and 3, little-endian), the container of
// llama.cpp and bitnet.cpp models:
//
//   "GGUF" | u32 version | u64 tensor count | u64 metadata count
//   metadata: string key | u32 value type | value          (repeated)
//   tensor infos: string name | u32 n_dims | u64 ne[n_dims] | u32 ggml type
//                 | u64 offset (from the data section, aligned)  (repeated)
//   padding to general.alignment (default 32) | tensor data
//
// where a string is u64 length + bytes and an array is u32 element type +
// u64 count + elements. The file is memory-mapped; every count, length, size
// and offset is checked against the bytes that are left before it is used,
// so a malformed or truncated file is an error naming the file and what is
// wrong, never a read past the end or a huge allocation.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_GGUF_GGUF_H
#define TERN_IMPORT_GGUF_GGUF_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::tern::gguf {

/// Metadata value types (gguf.h's gguf_type).
enum class ValueType : uint32_t {
  U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7,
  String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};
llvm::StringRef toString(ValueType type);

/// The ggml tensor types Tern knows the storage of. Ids from ggml.h
/// (llama.cpp); I2_S (36) is bitnet.cpp's fork, Q1_0 (41) PrismML's.
enum class TensorType : uint32_t {
  F32 = 0, F16 = 1, Q8_0 = 8, BF16 = 30, TQ1_0 = 34, TQ2_0 = 35, I2_S = 36,
  Q1_0 = 41,
};
/// The type's name ("TQ2_0"), or "type N" for an id Tern does not know.
std::string typeName(uint32_t type);

/// One metadata value; arrays hold their elements.
struct Value {
  ValueType type = ValueType::U8;
  uint64_t unsignedValue = 0; ///< U8..U64 and Bool
  int64_t signedValue = 0;    ///< I8..I64
  double floatValue = 0;      ///< F32, F64
  std::string string;         ///< String
  ValueType elementType = ValueType::U8; ///< Array
  std::vector<Value> elements;           ///< Array

  /// The value as an integer (any integer type or bool), if it is one that
  /// fits int64.
  std::optional<int64_t> asInteger() const;
  /// The value as a float (a float or an integer type).
  std::optional<double> asFloat() const;
};

struct TensorInfo {
  std::string name;
  /// ggml's ne: ne[0] is the innermost (contiguous) dimension, so a matrix
  /// of `rows` x `cols` has ne = {cols, rows}.
  std::vector<int64_t> ne;
  uint32_t type = 0;
  uint64_t offset = 0;            ///< from the start of the data section
  llvm::ArrayRef<char> data;      ///< its bytes in the mapped file
  int64_t numElements() const;
};

class GgufFile {
public:
  /// Maps and parses `path`; on failure returns null with `error` naming
  /// the file and the problem.
  static std::unique_ptr<GgufFile> open(const std::string &path,
                                        std::string &error);

  const std::string &path() const { return filePath; }
  uint32_t version() const { return fileVersion; }
  uint64_t alignment() const { return dataAlignment; }
  /// Metadata in file order, and by key.
  const std::vector<std::pair<std::string, Value>> &metadata() const {
    return entries;
  }
  const Value *find(llvm::StringRef key) const;
  const std::vector<TensorInfo> &tensors() const { return infos; }
  const TensorInfo *findTensor(llvm::StringRef name) const;

  /// Bytes a tensor of `type` with `numElements` elements (rows of `ne0`)
  /// occupies, or nullopt for a type whose storage Tern does not know or a
  /// row length the type's blocks do not divide.
  static std::optional<uint64_t> storageBytes(uint32_t type, int64_t ne0,
                                              int64_t numElements);

private:
  std::string filePath;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  uint32_t fileVersion = 0;
  uint64_t dataAlignment = 32;
  std::vector<std::pair<std::string, Value>> entries;
  llvm::StringMap<size_t> entryIndex;
  std::vector<TensorInfo> infos;
  llvm::StringMap<size_t> tensorIndex;
};

} // namespace mlir::tern::gguf

#endif // TERN_IMPORT_GGUF_GGUF_H
