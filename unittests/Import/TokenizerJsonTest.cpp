//===- TokenizerJsonTest.cpp - tokenizer.json against reference ids -------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Each folder of test/Import/HF/Inputs/tokenizers holds a tokenizer.json and
// expected.json: token ids and decoded text for tricky strings, produced by
// Hugging Face's own tokenizers library (scripts/make_tokenizer_fixtures.py).
// Tern's reader and tokenizer must reproduce every id and every decode.
//
//===----------------------------------------------------------------------===//
#include "TokenizerCases.h"
#include "tern/Import/HF/TokenizerJson.h"
#include "tern/Import/HF/Checkpoint.h"
#include "tern/Support/Tokenizer.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mlir::tern::hf;
namespace json = llvm::json;

namespace {

std::string fixture(const std::string &name, const std::string &file) {
  return tokenizerFixture(name, file);
}

class ReferenceIds : public ::testing::TestWithParam<const char *> {};

TEST_P(ReferenceIds, EncodeAndDecodeMatch) {
  std::string name = GetParam(), error;
  ::tern::TokenizerData data;
  ASSERT_TRUE(readTokenizerJson(fixture(name, "tokenizer.json"), data, error))
      << error;
  // Through the artifact's serialized form, as the runtime sees it.
  ::tern::TokenizerData embedded;
  ASSERT_TRUE(::tern::TokenizerData::parse(data.serialize(), embedded, error))
      << error;
  expectFixtureCases(::tern::Tokenizer(std::move(embedded)), name);
}

INSTANTIATE_TEST_SUITE_P(Tokenizers, ReferenceIds,
                         ::testing::Values("gpt2", "llama3", "llama2-sp",
                                           "metaspace"),
                         [](const auto &info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

/// Writes `text` as tokenizer.json in a fresh directory; returns its path.
std::string writeTokenizer(const std::string &text) {
  llvm::SmallString<128> dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("tern-tokenizer", dir));
  std::string path = (dir + "/tokenizer.json").str();
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  os << text;
  return path;
}

struct Unsupported {
  const char *json;
  const char *message;
};

class RejectsTokenizer : public ::testing::TestWithParam<Unsupported> {};

TEST_P(RejectsTokenizer, NamingFileAndReason) {
  std::string path = writeTokenizer(GetParam().json), error;
  ::tern::TokenizerData data;
  EXPECT_FALSE(readTokenizerJson(path, data, error));
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find(GetParam().message), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Files, RejectsTokenizer,
    ::testing::Values(
        Unsupported{"{", "invalid JSON"},
        Unsupported{R"({"model": {"type": "Unigram"}})", "only BPE"},
        Unsupported{R"({"model": {"type": "BPE", "vocab": {}, "merges": []},
                        "decoder": {"type": "ByteLevel"},
                        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                          {"type": "Split", "pattern": {"Regex": "\\w+"}},
                          {"type": "ByteLevel", "use_regex": false}]}})",
                    "unsupported pre_tokenizer"},
        Unsupported{R"({"model": {"type": "BPE", "vocab": {}, "merges": []},
                        "decoder": {"type": "WordPiece"},
                        "normalizer": {"type": "NFKC"}})",
                    "unsupported normalizer"},
        Unsupported{
            R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]},
                        "decoder": {"type": "ByteLevel"},
                        "pre_tokenizer": {"type": "ByteLevel"}})",
            "merge 'a b' uses tokens not in the vocab"},
        Unsupported{
            R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [],
                                  "unk_token": "<unk>"},
                        "decoder": {"type": "Metaspace", "replacement": "\u2581"},
                        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581"}})",
            "unk_token '<unk>' is not in the vocab"},
        Unsupported{
            R"({"model": {"type": "BPE", "vocab": {"a": -4}, "merges": []},
                        "decoder": {"type": "ByteLevel"},
                        "pre_tokenizer": {"type": "ByteLevel"}})",
            "bad id"}));

} // namespace
