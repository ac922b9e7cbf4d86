//===- FuzzCheckpoint.cpp - Hugging Face checkpoint reader fuzz target ----===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Input: config.json, "\n----\n", model.safetensors. Opens the checkpoint
// directory (config, safetensors header, every tensor's dtype, shape and
// byte range), touches every tensor's bytes, then imports it to tern IR
// as ternc does and verifies the module.
//
//===----------------------------------------------------------------------===//
#include "FuzzFiles.h"
#include "FuzzImport.h"

using namespace mlir::tern;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto [config, tensors] = tern::fuzz::splitInput(data, size);
  tern::fuzz::writeFile("config.json", config);
  tern::fuzz::writeFile("model.safetensors", tensors);
  std::string error;
  std::unique_ptr<hf::Checkpoint> checkpoint =
      hf::Checkpoint::open(tern::fuzz::workDirectory(), error);
  if (!checkpoint) {
    if (error.empty()) // a rejected input must say why
      std::abort();
    return 0;
  }
  volatile unsigned sum = 0;
  for (const auto &entry : checkpoint->tensors())
    for (char c : entry.second.data)
      sum = sum + uint8_t(c);
  tern::fuzz::importAndVerify(*checkpoint);
  return 0;
}
