//===- GgufTokenizerTest.cpp - GGUF vocabularies -------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The tokenizer fixtures' tokenizer.json written as GGUF tokenizer.ggml.*
// metadata, as llama.cpp's converters write it, read back by the GGUF
// reader: the tokenizer encodes (and decodes) every case of the fixture's
// expected.json as Hugging Face tokenizers do. Byte-level BPE (GPT-2, Llama
// 3) keeps its merges; the SentencePiece fixture (Llama 2 style) becomes
// scores and token types, from which the reader derives merges again. Then
// SentencePiece's order on small vocabularies, and malformed metadata.
//
//===----------------------------------------------------------------------===//
#include "TokenizerCases.h"
#include "tern/Import/GGUF/Tokenizer.h"
#include "tern/Import/HF/Checkpoint.h"
#include "tern/Import/HF/TokenizerJson.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

using namespace mlir::tern;
using ::tern::TokenizerData;

namespace {

/// GGUF metadata (no tensors), written key by key.
class Metadata {
public:
  void string(const std::string &key, const std::string &value) {
    begin(key, 8);
    str(value);
  }
  void strings(const std::string &key, const std::vector<std::string> &items) {
    beginArray(key, 8, items.size());
    for (const std::string &item : items)
      str(item);
  }
  void floats(const std::string &key, const std::vector<float> &items) {
    beginArray(key, 6, items.size());
    for (float item : items)
      put(item);
  }
  void ints(const std::string &key, const std::vector<int32_t> &items) {
    beginArray(key, 5, items.size());
    for (int32_t item : items)
      put(item);
  }
  void u32(const std::string &key, uint32_t value) {
    begin(key, 4);
    put(value);
  }
  void boolean(const std::string &key, bool value) {
    begin(key, 7);
    put(uint8_t(value));
  }

  /// The whole file: header, then the entries.
  std::string bytes() const {
    Metadata header;
    header.out = "GGUF";
    header.put<uint32_t>(3);
    header.put<uint64_t>(0);
    header.put<uint64_t>(count);
    return header.out + out;
  }

private:
  template <typename T> void put(T v) {
    out.append(reinterpret_cast<const char *>(&v), sizeof(T));
  }
  void str(const std::string &s) {
    put<uint64_t>(s.size());
    out += s;
  }
  void begin(const std::string &key, uint32_t type) {
    ++count;
    str(key);
    put(type);
  }
  void beginArray(const std::string &key, uint32_t element, size_t n) {
    begin(key, 9);
    put(element);
    put<uint64_t>(n);
  }

  std::string out;
  uint64_t count = 0;
};

/// Reads the vocabulary of a file holding `metadata`; `path` is the file's.
bool readVocabulary(const Metadata &metadata, TokenizerData &out,
                    std::string &error, std::string *path = nullptr) {
  llvm::SmallString<128> file;
  llvm::sys::fs::createTemporaryFile("vocab", "gguf", file);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    os << metadata.bytes();
  }
  if (path)
    *path = file.str().str();
  auto gguf = gguf::GgufFile::open(file.str().str(), error);
  bool ok = gguf && gguf::readTokenizer(*gguf, out, error);
  EXPECT_TRUE(gguf) << error;
  llvm::sys::fs::remove(file);
  return ok;
}

/// A fixture's tokenizer.json, as Hugging Face's reader gives it.
TokenizerData fromTokenizerJson(const std::string &name) {
  TokenizerData data;
  std::string error;
  EXPECT_TRUE(hf::readTokenizerJson(tokenizerFixture(name, "tokenizer.json"),
                                    data, error))
      << error;
  return data;
}

/// The byte-level vocabulary `data` as GGUF metadata: tokens, "left right"
/// merges, token types (3 for the special tokens, 1 otherwise), the
/// pre-tokenizer.
Metadata byteLevelMetadata(const TokenizerData &data, const std::string &pre,
                           const std::string &model = "gpt2") {
  Metadata m;
  m.string("tokenizer.ggml.model", model);
  m.string("tokenizer.ggml.pre", pre);
  m.strings("tokenizer.ggml.tokens", data.vocab);
  std::vector<std::string> merges;
  for (auto [left, right] : data.merges)
    merges.push_back(data.vocab[size_t(left)] + " " +
                     data.vocab[size_t(right)]);
  m.strings("tokenizer.ggml.merges", merges);
  std::set<int32_t> specials;
  for (const auto &special : data.specials)
    specials.insert(special.second);
  std::vector<int32_t> types;
  for (size_t i = 0; i < data.vocab.size(); ++i)
    types.push_back(specials.count(int32_t(i)) ? 3 : 1);
  m.ints("tokenizer.ggml.token_type", types);
  return m;
}

class GgufVocabulary
    : public ::testing::TestWithParam<std::pair<const char *, const char *>> {};

TEST_P(GgufVocabulary, EncodesAsTokenizerJson) {
  auto [name, pre] = GetParam();
  TokenizerData fromJson = fromTokenizerJson(name), fromGguf;
  std::string error;
  ASSERT_TRUE(readVocabulary(byteLevelMetadata(fromJson, pre), fromGguf, error))
      << error;
  EXPECT_EQ(fromGguf.vocab, fromJson.vocab);
  EXPECT_EQ(fromGguf.merges, fromJson.merges);
  EXPECT_TRUE(fromGguf.mergeRanks.empty());
  EXPECT_EQ(fromGguf.split, fromJson.split);

  expectFixtureCases(::tern::Tokenizer(std::move(fromGguf)), name);
}

INSTANTIATE_TEST_SUITE_P(ByteLevel, GgufVocabulary,
                         ::testing::Values(std::make_pair("gpt2", "gpt-2"),
                                           std::make_pair("llama3",
                                                          "llama-bpe")));

/// The SentencePiece vocabulary `data` (from a tokenizer.json) as llama.cpp's
/// "llama" metadata. SentencePiece merges the pair whose concatenation has
/// the highest score, so a piece scores minus the rank of the first merge
/// that makes it; pieces no merge makes score below all of them, except
/// unknown, control and byte pieces, which score 0 as SentencePiece's
/// models have them (and which the reader must not merge into).
Metadata sentencePieceMetadata(const TokenizerData &data) {
  size_t n = data.vocab.size();
  llvm::StringMap<int32_t> ids;
  for (size_t i = 0; i < n; ++i)
    ids[data.vocab[i]] = int32_t(i);
  std::vector<int32_t> types(n, 1);
  for (size_t i = 0; i < n; ++i) {
    const std::string &v = data.vocab[i];
    if (v.size() == 6 && v.compare(0, 3, "<0x") == 0 && v[5] == '>')
      types[i] = 6;
  }
  for (const auto &special : data.specials)
    types[size_t(special.second)] = special.second == data.unk ? 2 : 3;
  std::vector<float> scores(n, -float(data.merges.size() + 1));
  std::vector<bool> made(n, false);
  for (size_t r = 0; r < data.merges.size(); ++r) {
    auto [a, b] = data.merges[r];
    int32_t t = ids.lookup(data.vocab[size_t(a)] + data.vocab[size_t(b)]);
    if (!made[size_t(t)])
      scores[size_t(t)] = -float(r + 1);
    made[size_t(t)] = true;
  }
  for (size_t i = 0; i < n; ++i)
    if (types[i] != 1)
      scores[i] = 0;
  Metadata m;
  m.string("tokenizer.ggml.model", "llama");
  m.strings("tokenizer.ggml.tokens", data.vocab);
  m.floats("tokenizer.ggml.scores", scores);
  m.ints("tokenizer.ggml.token_type", types);
  m.u32("tokenizer.ggml.bos_token_id", 1);
  m.u32("tokenizer.ggml.eos_token_id", 2);
  m.u32("tokenizer.ggml.unknown_token_id", uint32_t(data.unk));
  m.boolean("tokenizer.ggml.add_space_prefix", true);
  return m;
}

TEST(GgufVocabulary, SentencePieceEncodesAsTokenizerJson) {
  const char *name = "llama2-sp";
  TokenizerData fromJson = fromTokenizerJson(name), fromGguf;
  ASSERT_EQ(fromJson.model, TokenizerData::Model::SentencePiece);
  std::string error;
  ASSERT_TRUE(readVocabulary(sentencePieceMetadata(fromJson), fromGguf, error))
      << error;
  EXPECT_EQ(fromGguf.model, TokenizerData::Model::SentencePiece);
  EXPECT_EQ(fromGguf.vocab, fromJson.vocab);
  EXPECT_EQ(fromGguf.split, fromJson.split);
  EXPECT_EQ(fromGguf.prepend, TokenizerData::Prepend::Always);
  EXPECT_EQ(fromGguf.strip, TokenizerData::Strip::LeadingSpace);
  EXPECT_EQ(fromGguf.prepend, fromJson.prepend);
  EXPECT_EQ(fromGguf.strip, fromJson.strip);
  EXPECT_TRUE(fromGguf.byteFallback);
  EXPECT_TRUE(fromGguf.decodeByteFallback);
  EXPECT_EQ(fromGguf.unk, 0);
  EXPECT_EQ(fromGguf.unk, fromJson.unk);
  auto sorted = [](std::vector<std::pair<std::string, int32_t>> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted(fromGguf.specials), sorted(fromJson.specials));
  // Every merge Hugging Face's converter wrote is among those derived from
  // the scores, and pieces made by several merges share one rank.
  ASSERT_EQ(fromGguf.mergeRanks.size(), fromGguf.merges.size());
  std::set<std::pair<int32_t, int32_t>> derived(fromGguf.merges.begin(),
                                                fromGguf.merges.end());
  for (auto merge : fromJson.merges)
    EXPECT_TRUE(derived.count(merge))
        << fromJson.vocab[size_t(merge.first)] << " "
        << fromJson.vocab[size_t(merge.second)];
  EXPECT_TRUE(
      std::is_sorted(fromGguf.mergeRanks.begin(), fromGguf.mergeRanks.end()));

  expectFixtureCases(::tern::Tokenizer(fromGguf), name);

  // Through the artifact's serialized form (version 3: it carries ranks).
  std::string serialized = fromGguf.serialize();
  EXPECT_EQ(serialized.rfind("tern-tokenizer 3\n", 0), 0u);
  TokenizerData embedded;
  ASSERT_TRUE(TokenizerData::parse(serialized, embedded, error)) << error;
  EXPECT_EQ(embedded.merges, fromGguf.merges);
  EXPECT_EQ(embedded.mergeRanks, fromGguf.mergeRanks);
  expectFixtureCases(::tern::Tokenizer(std::move(embedded)), name);
}

/// A small SentencePiece vocabulary: "<unk>", "<s>", "</s>", the byte piece
/// <0x63> ('c'), then `pieces` with their scores (all normal).
Metadata
smallVocabulary(const std::vector<std::pair<std::string, float>> &pieces,
                std::optional<bool> addSpacePrefix) {
  std::vector<std::string> tokens = {"<unk>", "<s>", "</s>", "<0x63>"};
  std::vector<float> scores = {0, 0, 0, 0};
  std::vector<int32_t> types = {2, 3, 3, 6};
  for (const auto &[piece, score] : pieces) {
    tokens.push_back(piece);
    scores.push_back(score);
    types.push_back(1);
  }
  Metadata m;
  m.string("tokenizer.ggml.model", "llama");
  m.strings("tokenizer.ggml.tokens", tokens);
  m.floats("tokenizer.ggml.scores", scores);
  m.ints("tokenizer.ggml.token_type", types);
  if (addSpacePrefix)
    m.boolean("tokenizer.ggml.add_space_prefix", *addSpacePrefix);
  return m;
}

std::vector<int32_t> encodeWith(const Metadata &metadata,
                                const std::string &text) {
  TokenizerData data;
  std::string error;
  EXPECT_TRUE(readVocabulary(metadata, data, error)) << error;
  return ::tern::Tokenizer(std::move(data)).encode(text, true);
}

TEST(GgufSentencePiece, HighestScoreFirstLeftmostOnTies) {
  // Ids: a 4, b 5, ab 6, ba 7.
  // "ba" scores higher: a + ba, though "ab" is further left.
  EXPECT_EQ(
      encodeWith(smallVocabulary({{"a", -9}, {"b", -9}, {"ab", -2}, {"ba", -1}},
                                 false),
                 "aba"),
      (std::vector<int32_t>{4, 7}));
  // Equal scores: the leftmost pair, whichever piece comes first in the
  // vocabulary.
  EXPECT_EQ(
      encodeWith(smallVocabulary({{"a", -9}, {"b", -9}, {"ba", -1}, {"ab", -1}},
                                 false),
                 "aba"),
      (std::vector<int32_t>{7, 4}));
  EXPECT_EQ(
      encodeWith(smallVocabulary({{"a", -9}, {"b", -9}, {"ba", -1}, {"ab", -1}},
                                 false),
                 "bab"),
      (std::vector<int32_t>{6, 5}));
}

/// "aba" is both ab + a and a + ba.
static Metadata sharedSplitsVocabulary() {
  return smallVocabulary(
      {{"a", -9}, {"b", -9}, {"ab", -1}, {"ba", -1}, {"aba", -2}, {"bb", -3}},
      false);
}

TEST(GgufSentencePiece, SplitsOfOnePieceShareARank) {
  // "aba" is ab + a and a + ba: both merges rank with "aba"'s score, after
  // "ab" and "ba" (rank 0, equal scores) and before "bb".
  TokenizerData data;
  std::string error;
  ASSERT_TRUE(readVocabulary(sharedSplitsVocabulary(), data, error))
      << error;
  std::map<std::pair<int32_t, int32_t>, int32_t> rank;
  ASSERT_EQ(data.mergeRanks.size(), data.merges.size());
  for (size_t i = 0; i < data.merges.size(); ++i)
    rank[data.merges[i]] = data.mergeRanks[i];
  EXPECT_EQ(rank, (std::map<std::pair<int32_t, int32_t>, int32_t>{
                      {{4, 5}, 0}, // a b -> ab
                      {{5, 4}, 0}, // b a -> ba
                      {{6, 4}, 1}, // ab a -> aba
                      {{4, 7}, 1}, // a ba -> aba
                      {{5, 5}, 2}, // b b -> bb
                  }));
}

TEST(GgufSentencePiece, RanksSurviveSerialization) {
  TokenizerData data, back;
  std::string error;
  ASSERT_TRUE(readVocabulary(sharedSplitsVocabulary(), data, error))
      << error;
  std::string text = data.serialize();
  ASSERT_EQ(text.rfind("tern-tokenizer 3\n", 0), 0u);
  ASSERT_NE(text.find("merges 5\n4 5 0\n5 4 0\n4 7 1\n6 4 1\n5 5 2\n"),
            std::string::npos)
      << text;
  ASSERT_TRUE(TokenizerData::parse(text, back, error)) << error;
  EXPECT_EQ(back.merges, data.merges);
  EXPECT_EQ(back.mergeRanks, data.mergeRanks);
  // Ranks out of order, or missing, are damage.
  std::string decreasing = text;
  decreasing.replace(decreasing.find("5 5 2\n"), 6, "5 5 0\n");
  EXPECT_FALSE(TokenizerData::parse(decreasing, back, error));
  EXPECT_NE(error.find("bad merge rank"), std::string::npos) << error;
  std::string missing = text;
  missing.replace(missing.find("5 5 2\n"), 6, "5 5\n");
  EXPECT_FALSE(TokenizerData::parse(missing, back, error));
  EXPECT_NE(error.find("bad merge"), std::string::npos) << error;
  // Without ranks, the data is written as version 2, as before.
  data.mergeRanks.clear();
  EXPECT_EQ(data.serialize().rfind("tern-tokenizer 2\n", 0), 0u);
}

TEST(GgufSentencePiece, SpacePrefixAndByteFallback) {
  // Ids: ▁ 4, a 5, ▁a 6. 'c' has no piece: its byte piece <0x63> (3).
  std::vector<std::pair<std::string, float>> pieces = {{"\xe2\x96\x81", -9},
                                                       {"a", -9},
                                                       {"\xe2\x96\x81"
                                                        "a",
                                                        -1}};
  // add_space_prefix defaults to true: U+2581 before each text segment.
  EXPECT_EQ(encodeWith(smallVocabulary(pieces, std::nullopt), "a a</s>a"),
            (std::vector<int32_t>{6, 6, 2, 6}));
  EXPECT_EQ(encodeWith(smallVocabulary(pieces, false), "a ac"),
            (std::vector<int32_t>{5, 6, 3}));
  TokenizerData with, without;
  std::string error;
  ASSERT_TRUE(readVocabulary(smallVocabulary(pieces, true), with, error));
  ASSERT_TRUE(readVocabulary(smallVocabulary(pieces, false), without, error));
  EXPECT_EQ(::tern::Tokenizer(with).decode({6, 6, 3}), "a ac");
  EXPECT_EQ(::tern::Tokenizer(without).decode({6, 6, 3}), " a ac");
  EXPECT_EQ(without.prepend, TokenizerData::Prepend::Never);
  EXPECT_EQ(without.strip, TokenizerData::Strip::None);
  // No unknown_token_id: the unknown-type token.
  EXPECT_EQ(with.unk, 0);
}

/// Expects the vocabulary of `metadata` to be refused with an error naming
/// the file and containing `message`.
void expectRejected(const Metadata &metadata, const std::string &message) {
  TokenizerData out;
  std::string error, path;
  EXPECT_FALSE(readVocabulary(metadata, out, error, &path));
  EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error;
  EXPECT_NE(error.find(message), std::string::npos) << error;
}

TEST(GgufVocabulary, RejectsWhatItDoesNotRead) {
  TokenizerData data;
  data.vocab = {"a", "b"};
  expectRejected(byteLevelMetadata(data, "default", "t5"),
                 "tokenizer.ggml.model 't5' is not read (Tern reads 'gpt2', "
                 "byte-level BPE, and 'llama', SentencePiece)");
  expectRejected(byteLevelMetadata(data, "qwen2"),
                 "tokenizer.ggml.pre 'qwen2' is not a pre-tokenizer");
}

TEST(GgufSentencePiece, RejectsMalformedMetadata) {
  const std::vector<std::string> tokens = {"<unk>", "\xe2\x96\x81", "a", "b"};
  const std::vector<float> scores = {0, -1, -2, -3};
  const std::vector<int32_t> types = {2, 1, 1, 1};
  // The vocabulary with one key replaced (or, with no value, left out).
  auto with = [&](std::optional<std::vector<std::string>> t,
                  std::optional<std::vector<float>> s,
                  std::optional<std::vector<int32_t>> y) {
    Metadata m;
    m.string("tokenizer.ggml.model", "llama");
    if (t)
      m.strings("tokenizer.ggml.tokens", *t);
    if (s)
      m.floats("tokenizer.ggml.scores", *s);
    if (y)
      m.ints("tokenizer.ggml.token_type", *y);
    return m;
  };
  expectRejected(with(tokens, std::vector<float>{0, -1, -2}, types),
                 "tokenizer.ggml.scores has 3 entries for 4 tokens");
  expectRejected(with(std::nullopt, scores, types),
                 "tokenizer.ggml.tokens is missing or empty");
  expectRejected(with(tokens, scores, std::vector<int32_t>{2, 9, 1, 1}),
                 "tokenizer.ggml.token_type[1] is 9, not a token type "
                 "(1 normal .. 6 byte)");
  expectRejected(with(tokens, scores, std::vector<int32_t>{2, 1, 1}),
                 "tokenizer.ggml.token_type must give one type per token "
                 "(4 tokens)");
  expectRejected(with(tokens, scores, std::nullopt),
                 "tokenizer.ggml.token_type is missing");
  expectRejected(with(tokens, std::nullopt, types),
                 "tokenizer.ggml.scores is missing");
  expectRejected(with(tokens, std::vector<float>{0, -1, NAN, -3}, types),
                 "tokenizer.ggml.scores[2] is not finite");
  expectRejected(with(tokens, scores, std::vector<int32_t>{2, 1, 6, 1}),
                 "tokenizer.ggml.tokens[2] 'a' has tokenizer.ggml.token_type "
                 "6 (byte) but is not spelled <0xNN>");
  expectRejected(with(std::vector<std::string>{"<unk>", "a", "a"},
                      std::vector<float>{0, -1, -2},
                      std::vector<int32_t>{2, 1, 1}),
                 "token 'a' appears twice in tokenizer.ggml.tokens");

  Metadata intScores = with(tokens, std::nullopt, types);
  intScores.ints("tokenizer.ggml.scores", {0, -1, -2, -3});
  expectRejected(intScores,
                 "'tokenizer.ggml.scores' must be an array of float32");
  Metadata badUnk = with(tokens, scores, types);
  badUnk.u32("tokenizer.ggml.unknown_token_id", 4);
  expectRejected(badUnk, "'tokenizer.ggml.unknown_token_id' must be a token "
                         "id below 4");
  Metadata badBos = with(tokens, scores, types);
  badBos.u32("tokenizer.ggml.bos_token_id", 7);
  expectRejected(badBos,
                 "'tokenizer.ggml.bos_token_id' must be a token id below 4");
  Metadata badPrefix = with(tokens, scores, types);
  badPrefix.u32("tokenizer.ggml.add_space_prefix", 1);
  expectRejected(badPrefix, "'tokenizer.ggml.add_space_prefix' must be a bool");
}

} // namespace
