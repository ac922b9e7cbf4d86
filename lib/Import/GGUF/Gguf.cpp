//===- Gguf.cpp - The GGUF container: metadata and tensors ----------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Layout facts: ggml's docs/gguf.md (container, value types, alignment) and
// ggml.h / ggml-common.h (type ids and block sizes); I2_S from bitnet.cpp's
// fork (one f32 scale after the packed codes), Q1_0 from PrismML's fork
// (ggml-common.h: an f16 scale then 16 bytes of sign bits per 128 weights).
// See ../shared/FORMATS.md.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/GGUF/Gguf.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>
#include <iterator>
#include <limits>

using namespace mlir::tern::gguf;

llvm::StringRef mlir::tern::gguf::toString(ValueType type) {
  switch (type) {
  case ValueType::U8: return "u8";
  case ValueType::I8: return "i8";
  case ValueType::U16: return "u16";
  case ValueType::I16: return "i16";
  case ValueType::U32: return "u32";
  case ValueType::I32: return "i32";
  case ValueType::F32: return "f32";
  case ValueType::Bool: return "bool";
  case ValueType::String: return "string";
  case ValueType::Array: return "array";
  case ValueType::U64: return "u64";
  case ValueType::I64: return "i64";
  case ValueType::F64: return "f64";
  }
  return "unknown";
}

std::string mlir::tern::gguf::typeName(uint32_t type) {
  switch (TensorType(type)) {
  case TensorType::F32: return "F32";
  case TensorType::F16: return "F16";
  case TensorType::Q8_0: return "Q8_0";
  case TensorType::BF16: return "BF16";
  case TensorType::TQ1_0: return "TQ1_0";
  case TensorType::TQ2_0: return "TQ2_0";
  case TensorType::I2_S: return "I2_S";
  case TensorType::Q1_0: return "Q1_0";
  }
  // ggml types Tern does not read, named as ggml.h names them.
  static constexpr const char *kOthers[] = {
      nullptr,   nullptr,   "Q4_0",    "Q4_1",    nullptr,  nullptr,
      "Q5_0",    "Q5_1",    nullptr,   "Q8_1",    "Q2_K",   "Q3_K",
      "Q4_K",    "Q5_K",    "Q6_K",    "Q8_K",    "IQ2_XXS", "IQ2_XS",
      "IQ3_XXS", "IQ1_S",   "IQ4_NL",  "IQ3_S",   "IQ2_S",  "IQ4_XS",
      "I8",      "I16",     "I32",     "I64",     "F64",    "IQ1_M"};
  if (type < std::size(kOthers) && kOthers[type])
    return kOthers[type];
  return "type " + std::to_string(type);
}

/// Whether Tern knows how `type` is stored.
static bool knowsStorage(uint32_t type) {
  switch (TensorType(type)) {
  case TensorType::F32:
  case TensorType::F16:
  case TensorType::Q8_0:
  case TensorType::BF16:
  case TensorType::TQ1_0:
  case TensorType::TQ2_0:
  case TensorType::I2_S:
  case TensorType::Q1_0:
    return true;
  }
  return false;
}

std::optional<int64_t> Value::asInteger() const {
  switch (type) {
  case ValueType::U8:
  case ValueType::U16:
  case ValueType::U32:
  case ValueType::U64:
  case ValueType::Bool:
    if (unsignedValue > uint64_t(std::numeric_limits<int64_t>::max()))
      return std::nullopt;
    return int64_t(unsignedValue);
  case ValueType::I8:
  case ValueType::I16:
  case ValueType::I32:
  case ValueType::I64:
    return signedValue;
  default:
    return std::nullopt;
  }
}

std::optional<double> Value::asFloat() const {
  if (type == ValueType::F32 || type == ValueType::F64)
    return floatValue;
  if (std::optional<int64_t> i = asInteger())
    return double(*i);
  return std::nullopt;
}

int64_t TensorInfo::numElements() const {
  int64_t n = 1;
  for (int64_t d : ne)
    n *= d;
  return n;
}

std::optional<uint64_t> GgufFile::storageBytes(uint32_t type, int64_t ne0,
                                               int64_t numElements) {
  // (weights per block, bytes per block)
  auto blocks = [&](int64_t block, int64_t bytes) -> std::optional<uint64_t> {
    if (ne0 % block != 0)
      return std::nullopt;
    return uint64_t(numElements / block) * uint64_t(bytes);
  };
  switch (TensorType(type)) {
  case TensorType::F32: return blocks(1, 4);
  case TensorType::F16:
  case TensorType::BF16: return blocks(1, 2);
  case TensorType::Q8_0: return blocks(32, 34);   // f16 d, i8 qs[32]
  case TensorType::TQ1_0: return blocks(256, 54); // qs[48], qh[4], f16 d
  case TensorType::TQ2_0: return blocks(256, 66); // qs[64], f16 d
  case TensorType::Q1_0: return blocks(128, 18);  // f16 d, qs[16]
  case TensorType::I2_S:
    // Four 2-bit codes a byte, then one f32 scale (32 bytes with padding).
    if (numElements % 4 != 0)
      return std::nullopt;
    return uint64_t(numElements / 4) + 32;
  }
  return std::nullopt;
}

namespace {

/// Reads little-endian fields from the mapped bytes, checking each against
/// what is left; the first failure is kept with the offset it happened at.
class Reader {
public:
  Reader(llvm::StringRef bytes) : bytes(bytes) {}

  bool failed() const { return !problem.empty(); }
  const std::string &error() const { return problem; }
  uint64_t offset() const { return position; }
  uint64_t left() const { return bytes.size() - position; }

  bool fail(const llvm::Twine &message) {
    if (problem.empty())
      problem = ("at byte " + llvm::Twine(position) + ": " + message).str();
    return false;
  }

  template <typename T> bool read(T &out, const llvm::Twine &what) {
    if (failed())
      return false;
    if (left() < sizeof(T))
      return fail("the file ends inside " + what);
    std::memcpy(&out, bytes.data() + position, sizeof(T));
    position += sizeof(T);
    return true;
  }

  bool string(std::string &out, const llvm::Twine &what) {
    uint64_t length = 0;
    if (!read(length, what + " (its length)"))
      return false;
    if (length > left())
      return fail(what + " is " + llvm::Twine(length) +
                  " bytes long, more than the " + llvm::Twine(left()) +
                  " left in the file");
    out.assign(bytes.data() + position, size_t(length));
    position += length;
    return true;
  }

  bool skipTo(uint64_t to) {
    if (to > bytes.size())
      return fail("the data section starts past the end of the file");
    position = to;
    return true;
  }

private:
  llvm::StringRef bytes;
  uint64_t position = 0;
  std::string problem;
};

/// The fewest bytes one value of `type` takes in the file.
uint64_t minimumBytes(ValueType type) {
  switch (type) {
  case ValueType::U8:
  case ValueType::I8:
  case ValueType::Bool:
    return 1;
  case ValueType::U16:
  case ValueType::I16:
    return 2;
  case ValueType::U32:
  case ValueType::I32:
  case ValueType::F32:
    return 4;
  case ValueType::String:
  case ValueType::U64:
  case ValueType::I64:
  case ValueType::F64:
    return 8;
  case ValueType::Array:
    return 12;
  }
  return 1;
}

bool knownValueType(uint32_t type) { return type <= 12; }

bool readValue(Reader &in, ValueType type, Value &out, const std::string &key,
               bool inArray) {
  out.type = type;
  auto unsignedOf = [&](auto v) {
    out.unsignedValue = uint64_t(v);
    return true;
  };
  auto signedOf = [&](auto v) {
    out.signedValue = int64_t(v);
    return true;
  };
  std::string what = "the value of '" + key + "'";
  switch (type) {
  case ValueType::U8: { uint8_t v; return in.read(v, what) && unsignedOf(v); }
  case ValueType::I8: { int8_t v; return in.read(v, what) && signedOf(v); }
  case ValueType::U16: { uint16_t v; return in.read(v, what) && unsignedOf(v); }
  case ValueType::I16: { int16_t v; return in.read(v, what) && signedOf(v); }
  case ValueType::U32: { uint32_t v; return in.read(v, what) && unsignedOf(v); }
  case ValueType::I32: { int32_t v; return in.read(v, what) && signedOf(v); }
  case ValueType::U64: { uint64_t v; return in.read(v, what) && unsignedOf(v); }
  case ValueType::I64: { int64_t v; return in.read(v, what) && signedOf(v); }
  case ValueType::F32: {
    float v;
    if (!in.read(v, what))
      return false;
    out.floatValue = v;
    return true;
  }
  case ValueType::F64:
    return in.read(out.floatValue, what);
  case ValueType::Bool: {
    uint8_t v;
    if (!in.read(v, what))
      return false;
    if (v > 1)
      return in.fail("'" + key + "' is a bool of value " + llvm::Twine(int(v)));
    out.unsignedValue = v;
    return true;
  }
  case ValueType::String:
    return in.string(out.string, what);
  case ValueType::Array: {
    if (inArray)
      return in.fail("'" + key + "' nests arrays, which GGUF readers reject");
    uint32_t elementType;
    uint64_t count;
    if (!in.read(elementType, what + " (its element type)") ||
        !in.read(count, what + " (its length)"))
      return false;
    if (!knownValueType(elementType))
      return in.fail("'" + key + "' is an array of unknown value type " +
                     llvm::Twine(elementType));
    out.elementType = ValueType(elementType);
    if (count > in.left() / minimumBytes(out.elementType))
      return in.fail("'" + key + "' claims " + llvm::Twine(count) +
                     " elements, more than the file's remaining " +
                     llvm::Twine(in.left()) + " bytes can hold");
    out.elements.resize(size_t(count));
    for (Value &element : out.elements)
      if (!readValue(in, out.elementType, element, key, /*inArray=*/true))
        return false;
    return true;
  }
  }
  return in.fail("'" + key + "' has an unknown value type");
}

} // namespace

const Value *GgufFile::find(llvm::StringRef key) const {
  auto it = entryIndex.find(key);
  return it == entryIndex.end() ? nullptr : &entries[it->second].second;
}

const TensorInfo *GgufFile::findTensor(llvm::StringRef name) const {
  auto it = tensorIndex.find(name);
  return it == tensorIndex.end() ? nullptr : &infos[it->second];
}

std::unique_ptr<GgufFile> GgufFile::open(const std::string &path,
                                         std::string &error) {
  auto fail = [&](const llvm::Twine &message) -> std::unique_ptr<GgufFile> {
    error = (path + ": " + message).str();
    return nullptr;
  };
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail("cannot read: " + buffer.getError().message());
  auto file = std::unique_ptr<GgufFile>(new GgufFile());
  file->filePath = path;
  file->buffer = std::move(*buffer);
  llvm::StringRef bytes = file->buffer->getBuffer();
  Reader in(bytes);

  char magic[4];
  if (bytes.size() < 4 || (std::memcpy(magic, bytes.data(), 4),
                           std::memcmp(magic, "GGUF", 4) != 0))
    return fail("not a GGUF file (no 'GGUF' magic)");
  in.skipTo(4);
  uint64_t tensorCount = 0, entryCount = 0;
  if (!in.read(file->fileVersion, "the version"))
    return fail(in.error());
  if (file->fileVersion != 2 && file->fileVersion != 3)
    return fail("GGUF version " + llvm::Twine(file->fileVersion) +
                " is not supported (versions 2 and 3 are)");
  if (!in.read(tensorCount, "the tensor count") ||
      !in.read(entryCount, "the metadata count"))
    return fail(in.error());
  // Every entry and tensor info takes at least 13 and 24 bytes.
  if (entryCount > in.left() / 13)
    return fail("the metadata count " + llvm::Twine(entryCount) +
                " is more than the file can hold");
  if (tensorCount > in.left() / 24)
    return fail("the tensor count " + llvm::Twine(tensorCount) +
                " is more than the file can hold");

  for (uint64_t i = 0; i < entryCount; ++i) {
    std::string key;
    uint32_t type;
    if (!in.string(key, "metadata key #" + std::to_string(i)) ||
        !in.read(type, "the type of '" + key + "'"))
      return fail(in.error());
    if (!knownValueType(type))
      return fail("metadata '" + key + "' has unknown value type " +
                  llvm::Twine(type));
    Value value;
    if (!readValue(in, ValueType(type), value, key, /*inArray=*/false))
      return fail(in.error());
    if (!file->entryIndex.try_emplace(key, file->entries.size()).second)
      return fail("metadata key '" + key + "' appears twice");
    file->entries.emplace_back(std::move(key), std::move(value));
  }
  if (const Value *alignment = file->find("general.alignment")) {
    std::optional<int64_t> a = alignment->asInteger();
    if (alignment->type != ValueType::U32 || !a || *a == 0 ||
        !llvm::isPowerOf2_64(uint64_t(*a)))
      return fail("general.alignment must be a power-of-two u32");
    file->dataAlignment = uint64_t(*a);
  }

  for (uint64_t i = 0; i < tensorCount; ++i) {
    TensorInfo info;
    uint32_t dims = 0;
    if (!in.string(info.name, "the name of tensor #" + std::to_string(i)) ||
        !in.read(dims, "the rank of '" + info.name + "'"))
      return fail(in.error());
    if (dims == 0 || dims > 4)
      return fail("tensor '" + info.name + "' has " + llvm::Twine(dims) +
                  " dimensions (1 to 4 allowed)");
    int64_t count = 1;
    for (uint32_t d = 0; d < dims; ++d) {
      uint64_t size;
      if (!in.read(size, "the dims of '" + info.name + "'"))
        return fail(in.error());
      if (size == 0 || size > uint64_t(std::numeric_limits<int64_t>::max()) ||
          count > std::numeric_limits<int64_t>::max() / int64_t(size))
        return fail("tensor '" + info.name + "' has a dimension of " +
                    llvm::Twine(size) + " (zero, or the element count "
                    "overflows)");
      info.ne.push_back(int64_t(size));
      count *= int64_t(size);
    }
    if (!in.read(info.type, "the type of '" + info.name + "'") ||
        !in.read(info.offset, "the offset of '" + info.name + "'"))
      return fail(in.error());
    if (info.offset % file->dataAlignment != 0)
      return fail("tensor '" + info.name + "' is at offset " +
                  llvm::Twine(info.offset) + ", not a multiple of the " +
                  llvm::Twine(file->dataAlignment) + "-byte alignment");
    if (!file->tensorIndex.try_emplace(info.name, file->infos.size()).second)
      return fail("tensor '" + info.name + "' appears twice");
    file->infos.push_back(std::move(info));
  }

  // The data section: aligned, then every tensor inside it.
  uint64_t dataStart = llvm::alignTo(in.offset(), file->dataAlignment);
  if (dataStart > bytes.size() && !file->infos.empty())
    return fail("the data section starts past the end of the file");
  uint64_t dataSize = bytes.size() > dataStart ? bytes.size() - dataStart : 0;
  for (size_t i = 0; i < file->infos.size(); ++i) {
    TensorInfo &info = file->infos[i];
    std::optional<uint64_t> size =
        storageBytes(info.type, info.ne[0], info.numElements());
    if (!size) {
      if (knowsStorage(info.type))
        return fail("tensor '" + info.name + "' (" + typeName(info.type) +
                    ") has rows of " + llvm::Twine(info.ne[0]) +
                    " elements, which the type's blocks do not divide");
      // A type Tern does not know: its bytes run to the next tensor (or
      // the end); the importer reports it if a model needs it.
      uint64_t end = dataSize;
      for (const TensorInfo &other : file->infos)
        if (other.offset > info.offset)
          end = std::min(end, other.offset);
      size = end > info.offset ? end - info.offset : 0;
    }
    if (info.offset > dataSize || *size > dataSize - info.offset)
      return fail("tensor '" + info.name + "' (" + typeName(info.type) +
                  ", " + llvm::Twine(*size) + " bytes at data offset " +
                  llvm::Twine(info.offset) + ") runs past the end of the file");
    info.data = llvm::ArrayRef<char>(bytes.data() + dataStart + info.offset,
                                     size_t(*size));
  }
  return file;
}
