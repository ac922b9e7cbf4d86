//===- TokenizerCases.h - Tokenizers against the fixtures' ids -*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The check the tokenizer tests share: every case of a fixture's
// expected.json (text, the ids Hugging Face tokenizers give it, and their
// decoding) encoded, and decoded, to the same.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_UNITTESTS_IMPORT_TOKENIZERCASES_H
#define TERN_UNITTESTS_IMPORT_TOKENIZERCASES_H

#include "tern/Import/HF/Checkpoint.h"
#include "tern/Support/Tokenizer.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <string>

inline std::string tokenizerFixture(const std::string &name,
                                    const std::string &file) {
  return std::string(TERN_TOKENIZER_FIXTURES) + "/" + name + "/" + file;
}

/// Expects `tokenizer` to reproduce fixture `name`'s expected.json.
inline void expectFixtureCases(const ::tern::Tokenizer &tokenizer,
                               const std::string &name) {
  std::string error;
  llvm::json::Value expected(nullptr);
  ASSERT_TRUE(mlir::tern::hf::readJsonFile(
      tokenizerFixture(name, "expected.json"), expected, error))
      << error;
  const llvm::json::Array *cases = expected.getAsObject()->getArray("cases");
  ASSERT_TRUE(cases && cases->size() >= 30);
  for (const llvm::json::Value &c : *cases) {
    const llvm::json::Object &o = *c.getAsObject();
    std::string text = o.getString("text")->str();
    std::vector<int32_t> ids;
    for (const llvm::json::Value &id : *o.getArray("ids"))
      ids.push_back(int32_t(*id.getAsInteger()));
    EXPECT_EQ(tokenizer.encode(text, /*allowSpecial=*/true), ids)
        << name << ": encoding \"" << text << "\"";
    EXPECT_EQ(tokenizer.decode(ids), o.getString("decoded")->str())
        << name << ": decoding the ids of \"" << text << "\"";
  }
}

#endif // TERN_UNITTESTS_IMPORT_TOKENIZERCASES_H
