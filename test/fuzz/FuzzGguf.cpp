//===- FuzzGguf.cpp - GGUF reader fuzz target ----------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Input: a .gguf file. Parses the container (header, metadata, tensor
// infos, offsets), presents it as a model (architecture keys, block types,
// vocabulary), and imports that to tern IR as ternc does.
//
//===----------------------------------------------------------------------===//
#include "FuzzFiles.h"
#include "FuzzImport.h"
#include "tern/Import/GGUF/Gguf.h"
#include "tern/Import/GGUF/Model.h"
#include "tern/Support/Tokenizer.h"

using namespace mlir::tern;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = tern::fuzz::writeFile(
      "model.gguf",
      std::string_view(reinterpret_cast<const char *>(data), size));
  std::string error;
  std::unique_ptr<gguf::GgufFile> file = gguf::GgufFile::open(path, error);
  if (!file) {
    if (error.empty())
      std::abort();
    return 0;
  }
  gguf::GgufModel model;
  error.clear();
  if (!gguf::openModel(path, model, error)) {
    if (error.empty())
      std::abort();
    return 0;
  }
  if (model.tokenizer) {
    ::tern::Tokenizer tokenizer(*model.tokenizer);
    std::vector<int32_t> ids = tokenizer.encode("Hello, world! <s> ünï", true);
    (void)tokenizer.decode(ids);
  }
  tern::fuzz::importAndVerify(*model.checkpoint);
  return 0;
}
