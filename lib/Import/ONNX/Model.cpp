//===- Model.cpp - Parsing ONNX models and their initializers -------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "Model.h"
#include "tern/Import/Paths.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir::tern::onnx_import;

OnnxModel::OnnxModel() : state(std::make_unique<Impl>()) {}
OnnxModel::~OnnxModel() = default;

std::unique_ptr<OnnxModel> OnnxModel::open(const std::string &path,
                                           std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = path + ": cannot open: " + buffer.getError().message();
    return nullptr;
  }
  llvm::StringRef bytes = (*buffer)->getBuffer();
  std::unique_ptr<OnnxModel> model(new OnnxModel());
  Impl &impl = model->impl();
  impl.path = path;
  impl.directory = llvm::sys::path::parent_path(path).str();
  if (impl.directory.empty())
    impl.directory = ".";
  if (bytes.size() > size_t(INT32_MAX) ||
      !impl.proto.ParseFromArray(bytes.data(), int(bytes.size()))) {
    error = path + ": not a valid ONNX model (the protobuf is truncated or "
                   "malformed)";
    return nullptr;
  }
  if (!impl.proto.has_graph()) {
    error = path + ": the model has no graph";
    return nullptr;
  }
  return model;
}

std::optional<llvm::ArrayRef<char>>
OnnxModel::Impl::tensorBytes(const onnx::TensorProto &tensor, int64_t bytes,
                             std::string &error) {
  const std::string where = path + ": tensor '" + tensor.name() + "'";
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    int64_t offset = 0, length = -1;
    for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset")
        offset = std::atoll(entry.value().c_str());
      else if (entry.key() == "length")
        length = std::atoll(entry.value().c_str());
    }
    std::string file;
    if (!resolveInsideDirectory(directory, location, "external data file",
                                file, error)) {
      error = where + ": " + error;
      return std::nullopt;
    }
    uint64_t size = 0;
    llvm::sys::fs::file_size(file, size);
    if (length < 0)
      length = bytes;
    if (offset < 0 || length != bytes || uint64_t(offset) > size ||
        uint64_t(length) > size - uint64_t(offset)) {
      error = where + ": external data [" + std::to_string(offset) + ", +" +
              std::to_string(length) + ") of '" + location + "' (" +
              std::to_string(size) + " bytes) does not hold its " +
              std::to_string(bytes) + " bytes";
      return std::nullopt;
    }
    auto &mapped = externalFiles[file];
    if (!mapped) {
      auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false);
      if (!buffer) {
        error = where + ": cannot map '" + file +
                "': " + buffer.getError().message();
        return std::nullopt;
      }
      mapped = std::move(*buffer);
    }
    return llvm::ArrayRef<char>(mapped->getBufferStart() + offset,
                                size_t(length));
  }
  if (tensor.has_raw_data()) {
    if (int64_t(tensor.raw_data().size()) != bytes) {
      error = where + ": raw_data holds " +
              std::to_string(tensor.raw_data().size()) + " bytes, its type " +
              std::to_string(bytes);
      return std::nullopt;
    }
    return llvm::ArrayRef<char>(tensor.raw_data().data(), size_t(bytes));
  }
  // Typed fields: converted once into storage owned here.
  std::vector<char> &out = converted.emplace_back(size_t(bytes));
  int64_t elementBytes = 0, count = 0;
  auto fill = [&](auto values, auto convert) {
    count = values.size();
    for (int64_t i = 0; i < count && (i + 1) * elementBytes <= bytes; ++i)
      convert(values.Get(int(i)), out.data() + i * elementBytes);
  };
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    elementBytes = 4;
    fill(tensor.float_data(),
         [](float v, char *p) { std::memcpy(p, &v, 4); });
    break;
  case onnx::TensorProto::DOUBLE:
    elementBytes = 8;
    fill(tensor.double_data(),
         [](double v, char *p) { std::memcpy(p, &v, 8); });
    break;
  case onnx::TensorProto::INT64:
    elementBytes = 8;
    fill(tensor.int64_data(),
         [](int64_t v, char *p) { std::memcpy(p, &v, 8); });
    break;
  case onnx::TensorProto::INT32:
    elementBytes = 4;
    fill(tensor.int32_data(),
         [](int32_t v, char *p) { std::memcpy(p, &v, 4); });
    break;
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    // Stored one per int32, the low 16 bits.
    elementBytes = 2;
    fill(tensor.int32_data(), [](int32_t v, char *p) {
      uint16_t h = uint16_t(v);
      std::memcpy(p, &h, 2);
    });
    break;
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    elementBytes = 1;
    fill(tensor.int32_data(), [](int32_t v, char *p) { *p = char(v); });
    break;
  default:
    error = where + ": element type " + std::to_string(tensor.data_type()) +
            " is not supported";
    return std::nullopt;
  }
  if (count * elementBytes != bytes) {
    error = where + ": holds " + std::to_string(count) +
            " values, its shape " + std::to_string(bytes / elementBytes);
    return std::nullopt;
  }
  return llvm::ArrayRef<char>(out.data(), out.size());
}
