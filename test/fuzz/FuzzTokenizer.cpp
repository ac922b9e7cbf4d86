//===- FuzzTokenizer.cpp - Tokenizer fuzz target --------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Input: a tokenizer.json, "\n----\n", a text of arbitrary bytes. Reads the
// tokenizer (Hugging Face JSON), round-trips it through the form artifacts
// embed (serialize / parse, which the runtime reads from files it is given),
// and encodes and decodes the text with it: ids in range, decoding the
// text's ids gives a string.
//
//===----------------------------------------------------------------------===//
#include "FuzzFiles.h"
#include "tern/Import/HF/TokenizerJson.h"
#include "tern/Support/Tokenizer.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto [json, text] = tern::fuzz::splitInput(data, size);
  // The embedded form straight from the input, as a damaged artifact has it.
  ::tern::TokenizerData embedded;
  std::string error;
  (void)::tern::TokenizerData::parse(json, embedded, error);

  std::string path = tern::fuzz::writeFile("tokenizer.json", json);
  ::tern::TokenizerData parsed;
  error.clear();
  if (!mlir::tern::hf::readTokenizerJson(path, parsed, error)) {
    if (error.empty())
      std::abort();
    return 0;
  }
  ::tern::TokenizerData again;
  if (!::tern::TokenizerData::parse(parsed.serialize(), again, error))
    std::abort(); // what the compiler embeds, the runtime must read
  ::tern::Tokenizer tokenizer(std::move(again));
  for (bool special : {true, false}) {
    std::vector<int32_t> ids = tokenizer.encode(text, special);
    for (int32_t id : ids)
      if (id < 0 || size_t(id) >= tokenizer.vocabSize())
        std::abort();
    (void)tokenizer.decode(ids);
  }
  return 0;
}
