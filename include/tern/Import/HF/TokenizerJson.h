//===- TokenizerJson.h - Hugging Face tokenizer.json ------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_HF_TOKENIZERJSON_H
#define TERN_IMPORT_HF_TOKENIZERJSON_H

#include <string>

namespace tern {
struct TokenizerData;
}

namespace mlir::tern::hf {

/// Reads a byte-level BPE tokenizer.json; on failure returns false with a
/// message naming the file and what is unsupported.
bool readTokenizerJson(const std::string &path, ::tern::TokenizerData &out,
                       std::string &error);

} // namespace mlir::tern::hf

#endif // TERN_IMPORT_HF_TOKENIZERJSON_H
