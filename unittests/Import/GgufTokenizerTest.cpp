//===- GgufTokenizerTest.cpp - GGUF vocabularies -------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The byte-level BPE fixtures' tokenizer.json (GPT-2 and Llama 3 style),
// written as GGUF tokenizer.ggml.* metadata as llama.cpp's converters write
// it, read back by the GGUF reader: the tokenizer encodes (and decodes)
// every case of the fixture's expected.json as Hugging Face tokenizers do.
//
//===----------------------------------------------------------------------===//
#include "TokenizerCases.h"
#include "tern/Import/GGUF/Tokenizer.h"
#include "tern/Import/HF/Checkpoint.h"
#include "tern/Import/HF/TokenizerJson.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <set>

using namespace mlir::tern;
namespace json = llvm::json;

namespace {


struct Bytes {
  std::string out;
  template <typename T> void put(T v) {
    out.append(reinterpret_cast<const char *>(&v), sizeof(T));
  }
  void str(const std::string &s) {
    put<uint64_t>(s.size());
    out += s;
  }
  void stringArray(const std::string &key, const std::vector<std::string> &items) {
    str(key);
    put<uint32_t>(9);
    put<uint32_t>(8);
    put<uint64_t>(items.size());
    for (const std::string &item : items)
      str(item);
  }
};

/// The GGUF bytes of `data`'s vocabulary: tokens, "left right" merges,
/// token types (3 for the special tokens, 1 otherwise), the pre-tokenizer.
std::string ggufOf(const ::tern::TokenizerData &data, const std::string &pre,
                   const std::string &model = "gpt2") {
  Bytes b;
  b.out = "GGUF";
  b.put<uint32_t>(3);
  b.put<uint64_t>(0);
  b.put<uint64_t>(5);
  b.str("tokenizer.ggml.model");
  b.put<uint32_t>(8);
  b.str(model);
  b.str("tokenizer.ggml.pre");
  b.put<uint32_t>(8);
  b.str(pre);
  b.stringArray("tokenizer.ggml.tokens", data.vocab);
  std::vector<std::string> merges;
  for (auto [left, right] : data.merges)
    merges.push_back(data.vocab[size_t(left)] + " " + data.vocab[size_t(right)]);
  b.stringArray("tokenizer.ggml.merges", merges);
  std::set<int32_t> specials;
  for (const auto &special : data.specials)
    specials.insert(special.second);
  b.str("tokenizer.ggml.token_type");
  b.put<uint32_t>(9);
  b.put<uint32_t>(5); // i32
  b.put<uint64_t>(data.vocab.size());
  for (size_t i = 0; i < data.vocab.size(); ++i)
    b.put<int32_t>(specials.count(int32_t(i)) ? 3 : 1);
  return b.out;
}

class GgufVocabulary
    : public ::testing::TestWithParam<std::pair<const char *, const char *>> {};

TEST_P(GgufVocabulary, EncodesAsTokenizerJson) {
  auto [name, pre] = GetParam();
  std::string error;
  ::tern::TokenizerData fromJson;
  ASSERT_TRUE(hf::readTokenizerJson(tokenizerFixture(name, "tokenizer.json"), fromJson,
                                    error))
      << error;
  llvm::SmallString<128> path;
  llvm::sys::fs::createTemporaryFile(name, "gguf", path);
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    out << ggufOf(fromJson, pre);
  }
  auto file = gguf::GgufFile::open(path.str().str(), error);
  ASSERT_TRUE(file) << error;
  ::tern::TokenizerData fromGguf;
  ASSERT_TRUE(gguf::readTokenizer(*file, fromGguf, error)) << error;
  llvm::sys::fs::remove(path);
  EXPECT_EQ(fromGguf.vocab, fromJson.vocab);
  EXPECT_EQ(fromGguf.merges, fromJson.merges);
  EXPECT_EQ(fromGguf.split, fromJson.split);

  expectFixtureCases(::tern::Tokenizer(std::move(fromGguf)), name);
}

INSTANTIATE_TEST_SUITE_P(ByteLevel, GgufVocabulary,
                         ::testing::Values(std::make_pair("gpt2", "gpt-2"),
                                           std::make_pair("llama3", "llama-bpe")));

TEST(GgufVocabulary, RejectsWhatItDoesNotRead) {
  auto check = [](const std::string &model, const std::string &pre,
                  const std::string &message) {
    ::tern::TokenizerData data;
    data.vocab = {"a", "b"};
    std::string bytes = ggufOf(data, pre, model);
    llvm::SmallString<128> path;
    llvm::sys::fs::createTemporaryFile("vocab", "gguf", path);
    {
      std::error_code ec;
      llvm::raw_fd_ostream out(path, ec);
      out << bytes;
    }
    std::string error;
    auto file = gguf::GgufFile::open(path.str().str(), error);
    ASSERT_TRUE(file) << error;
    ::tern::TokenizerData out;
    EXPECT_FALSE(gguf::readTokenizer(*file, out, error));
    EXPECT_NE(error.find(message), std::string::npos) << error;
    llvm::sys::fs::remove(path);
  };
  check("llama", "default", "tokenizer.ggml.model 'llama' is not read yet");
  check("gpt2", "qwen2", "tokenizer.ggml.pre 'qwen2' is not a pre-tokenizer");
}

} // namespace
