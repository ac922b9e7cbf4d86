//===- Checkpoint.cpp - Hugging Face checkpoint directories ---------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// safetensors (huggingface/safetensors docs): an 8-byte little-endian header
// length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]},
// "__metadata__": {...}}, then the data; offsets are relative to the end of
// the header. A sharded checkpoint lists name -> file in
// model.safetensors.index.json ("weight_map").
//
//===----------------------------------------------------------------------===//
#include "tern/Import/HF/Checkpoint.h"
#include "tern/Import/Paths.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace mlir::tern::hf;
namespace json = llvm::json;

llvm::StringRef mlir::tern::hf::toString(Dtype dtype) {
  switch (dtype) {
  case Dtype::F32:
    return "F32";
  case Dtype::F16:
    return "F16";
  case Dtype::BF16:
    return "BF16";
  case Dtype::U8:
    return "U8";
  case Dtype::I8:
    return "I8";
  case Dtype::Blocks:
    return "ggml blocks";
  }
  return "?";
}

size_t mlir::tern::hf::dtypeBytes(Dtype dtype) {
  switch (dtype) {
  case Dtype::F32:
    return 4;
  case Dtype::F16:
  case Dtype::BF16:
    return 2;
  case Dtype::U8:
  case Dtype::I8:
  case Dtype::Blocks: // bytes, not elements: see the type's blocks
    return 1;
  }
  return 1;
}

static std::optional<Dtype> parseDtype(llvm::StringRef text) {
  return llvm::StringSwitch<std::optional<Dtype>>(text)
      .Case("F32", Dtype::F32)
      .Case("F16", Dtype::F16)
      .Case("BF16", Dtype::BF16)
      .Case("U8", Dtype::U8)
      .Case("I8", Dtype::I8)
      .Default(std::nullopt);
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool mlir::tern::hf::readJsonFile(const std::string &path, json::Value &out,
                                  std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer) {
    error = path + ": cannot read: " + buffer.getError().message();
    return false;
  }
  llvm::Expected<json::Value> parsed = json::parse((*buffer)->getBuffer());
  if (!parsed) {
    error = path + ": invalid JSON: " + llvm::toString(parsed.takeError());
    return false;
  }
  out = std::move(*parsed);
  return true;
}

/// `fileName` from an index must name a regular file inside the directory:
/// no absolute path, no '..', no symbolic link leading out.
bool Checkpoint::resolveFile(llvm::StringRef fileName, std::string &path,
                             std::string &error) const {
  return resolveInsideDirectory(dir, fileName, "weight file", path, error);
}

bool Checkpoint::readConfig(std::string &error) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, "config.json");
  json::Value value(nullptr);
  if (!readJsonFile(path.str().str(), value, error))
    return false;
  json::Object *object = value.getAsObject();
  if (!object) {
    error = path.str().str() + ": expected a JSON object";
    return false;
  }
  configJson = std::move(*object);
  return true;
}

bool Checkpoint::readSafetensors(const std::string &fileName,
                                 std::string &error) {
  std::string path;
  if (!resolveFile(fileName, path, error))
    return false;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = path + ": cannot read: " + buffer.getError().message();
    return false;
  }
  llvm::StringRef bytes = (*buffer)->getBuffer();
  auto fail = [&](const llvm::Twine &what) {
    error = (path + ": " + what).str();
    return false;
  };
  if (bytes.size() < 8)
    return fail("truncated: shorter than the 8-byte header length");
  uint64_t headerLength = 0;
  for (int i = 7; i >= 0; --i)
    headerLength = (headerLength << 8) | uint8_t(bytes[i]);
  if (headerLength > bytes.size() - 8)
    return fail("the header claims " + llvm::Twine(headerLength) +
                " bytes but the file has " + llvm::Twine(bytes.size() - 8) +
                " after the length (truncated)");
  llvm::Expected<json::Value> header =
      json::parse(bytes.substr(8, headerLength));
  if (!header)
    return fail("invalid JSON header: " + llvm::toString(header.takeError()));
  json::Object *entries = header->getAsObject();
  if (!entries)
    return fail("the header is not a JSON object");
  llvm::StringRef data = bytes.substr(8 + headerLength);

  struct Range {
    uint64_t begin, end;
    std::string name;
  };
  std::vector<Range> ranges;
  for (auto &[key, value] : *entries) {
    std::string name = key.str();
    if (name == "__metadata__")
      continue;
    auto bad = [&](const llvm::Twine &what) {
      return fail("tensor '" + name + "': " + what);
    };
    json::Object *entry = value.getAsObject();
    if (!entry)
      return bad("entry is not an object");
    std::optional<llvm::StringRef> dtypeText = entry->getString("dtype");
    std::optional<Dtype> dtype =
        dtypeText ? parseDtype(*dtypeText) : std::nullopt;
    if (!dtype)
      return bad("unsupported dtype '" +
                 (dtypeText ? *dtypeText : llvm::StringRef("<missing>")) +
                 "' (Tern reads F32, F16, BF16, U8, I8)");
    json::Array *shape = entry->getArray("shape");
    json::Array *offsets = entry->getArray("data_offsets");
    if (!shape || !offsets || offsets->size() != 2)
      return bad("needs 'shape' and two 'data_offsets'");
    Tensor tensor;
    tensor.name = name;
    tensor.file = path;
    tensor.dtype = *dtype;
    uint64_t count = 1;
    for (const json::Value &d : *shape) {
      std::optional<int64_t> dim = d.getAsInteger();
      if (!dim || *dim < 0 || (*dim && count > (uint64_t(1) << 48) / uint64_t(*dim)))
        return bad("invalid shape");
      tensor.shape.push_back(*dim);
      count *= uint64_t(*dim);
    }
    std::optional<int64_t> begin = (*offsets)[0].getAsInteger();
    std::optional<int64_t> end = (*offsets)[1].getAsInteger();
    if (!begin || !end || *begin < 0 || *end < *begin)
      return bad("invalid data_offsets");
    if (uint64_t(*end) > data.size())
      return bad("data_offsets end at " + llvm::Twine(*end) +
                 " but the file holds " + llvm::Twine(data.size()) +
                 " data bytes (truncated)");
    if (uint64_t(*end - *begin) != count * dtypeBytes(*dtype))
      return bad("data_offsets span " + llvm::Twine(*end - *begin) +
                 " bytes but the shape needs " +
                 llvm::Twine(count * dtypeBytes(*dtype)));
    tensor.data = llvm::ArrayRef<char>(data.data() + *begin, *end - *begin);
    ranges.push_back({uint64_t(*begin), uint64_t(*end), name});
    if (byName.count(name))
      return bad("appears in more than one file");
    byName[name] = std::move(tensor);
  }
  llvm::sort(ranges, [](const Range &a, const Range &b) {
    return a.begin < b.begin;
  });
  for (size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].begin < ranges[i - 1].end)
      return fail("tensors '" + ranges[i - 1].name + "' and '" +
                  ranges[i].name + "' overlap");
  buffers.push_back(std::move(*buffer));
  return true;
}

std::unique_ptr<Checkpoint>
Checkpoint::fromTensors(std::string source, json::Object config,
                        std::vector<Tensor> tensors,
                        std::shared_ptr<const void> keepAlive,
                        std::function<std::string(llvm::StringRef)> sourceName) {
  auto checkpoint = std::unique_ptr<Checkpoint>(new Checkpoint());
  checkpoint->dir = std::move(source);
  checkpoint->configJson = std::move(config);
  checkpoint->owner = std::move(keepAlive);
  checkpoint->toSource = std::move(sourceName);
  for (Tensor &t : tensors) {
    std::string name = t.name;
    checkpoint->byName.insert({name, std::move(t)});
  }
  return checkpoint;
}

std::unique_ptr<Checkpoint> Checkpoint::open(llvm::StringRef directory,
                                             std::string &error) {
  auto checkpoint = std::unique_ptr<Checkpoint>(new Checkpoint());
  checkpoint->dir = directory.str();
  if (!llvm::sys::fs::is_directory(directory)) {
    error = directory.str() + ": not a checkpoint directory";
    return nullptr;
  }
  if (!checkpoint->readConfig(error))
    return nullptr;

  llvm::SmallString<256> index(directory);
  llvm::sys::path::append(index, "model.safetensors.index.json");
  if (llvm::sys::fs::exists(index)) {
    json::Value value(nullptr);
    if (!readJsonFile(index.str().str(), value, error))
      return nullptr;
    json::Object *map =
        value.getAsObject() ? value.getAsObject()->getObject("weight_map")
                            : nullptr;
    if (!map) {
      error = index.str().str() + ": no 'weight_map' object";
      return nullptr;
    }
    llvm::StringSet<> files;
    for (auto &[name, file] : *map) {
      std::optional<llvm::StringRef> fileName = file.getAsString();
      if (!fileName) {
        error = index.str().str() + ": tensor '" + name.str() +
                "' maps to a non-string";
        return nullptr;
      }
      files.insert(*fileName);
    }
    std::vector<std::string> sorted;
    for (const auto &f : files)
      sorted.push_back(f.getKey().str());
    llvm::sort(sorted);
    for (const std::string &f : sorted)
      if (!checkpoint->readSafetensors(f, error))
        return nullptr;
    for (auto &[name, file] : *map)
      if (!checkpoint->byName.count(name)) {
        error = index.str().str() + ": tensor '" + name.str() +
                "' is not in " + file.getAsString()->str();
        return nullptr;
      }
    return checkpoint;
  }
  llvm::SmallString<256> single(directory);
  llvm::sys::path::append(single, "model.safetensors");
  if (!llvm::sys::fs::exists(single)) {
    error = directory.str() +
            ": no model.safetensors or model.safetensors.index.json";
    return nullptr;
  }
  if (!checkpoint->readSafetensors("model.safetensors", error))
    return nullptr;
  return checkpoint;
}

const Tensor *Checkpoint::find(llvm::StringRef name) const {
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : &it->second;
}
