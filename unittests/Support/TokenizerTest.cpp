//===- TokenizerTest.cpp - Pre-tokenizers and BPE merging -----------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The expected pieces were produced by Python's `regex` module with the
// patterns as tokenizer.json spells them (kGpt2Pattern, kLlama3Pattern):
// the hand-coded splitters must agree with a real regex engine.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Tokenizer.h"

#include <gtest/gtest.h>

using namespace tern;

namespace {

struct SplitCase {
  const char *text;
  std::vector<std::string> pieces;
};

const SplitCase kGpt2Cases[] = {
    {"Hello world",
     {"Hello", " world"}},
    {"I'M here, they'll go; it's DON'T",
     {"I", "'", "M", " here", ",", " they", "'ll", " go", ";", " it", "'s", " DON", "'", "T"}},
    {"12345678 3.14159",
     {"12345678", " 3", ".", "14159"}},
    {"  \n  x",
     {"  \n ", " x"}},
    {"a\n\nb",
     {"a", "\n", "\n", "b"}},
    {"line\r\nnext",
     {"line", "\r", "\n", "next"}},
    {"...!!!???\n\nfoo",
     {"...!!!???", "\n", "\n", "foo"}},
    {"(hello) 'sun",
     {"(", "hello", ")", " '", "sun"}},
    {"\thello  world   ",
     {"\t", "hello", " ", " world", "   "}},
    {"\xe6""\x97""\xa5""\xe6""\x9c""\xac""\xe8""\xaa""\x9e""\xe3""\x81""\xae""\xe3""\x83""\x86""\xe3""\x82""\xad""\xe3""\x82""\xb9""\xe3""\x83""\x88""123",
     {"\xe6""\x97""\xa5""\xe6""\x9c""\xac""\xe8""\xaa""\x9e""\xe3""\x81""\xae""\xe3""\x83""\x86""\xe3""\x82""\xad""\xe3""\x82""\xb9""\xe3""\x83""\x88""", "123"}},
    {"caf\xc3""\xa9"" na\xc3""\xaf""ve",
     {"caf\xc3""\xa9""", " na\xc3""\xaf""ve"}},
    {"x\xc2""\xa0""y",
     {"x", "\xc2""\xa0""", "y"}},
    {" ",
     {" "}},
    {"",
     {}},
    {"a  ",
     {"a", "  "}},
    {"\xf0""\x9f""\x87""\xab""\xf0""\x9f""\x87""\xb7""\xf0""\x9f""\x91""\x8d""\xf0""\x9f""\x8f""\xbd"" ok",
     {"\xf0""\x9f""\x87""\xab""\xf0""\x9f""\x87""\xb7""\xf0""\x9f""\x91""\x8d""\xf0""\x9f""\x8f""\xbd""", " ok"}},
    {"don't STOP'RE",
     {"don", "'t", " STOP", "'", "RE"}},
    {"x \n",
     {"x", " \n"}},
    {"1\n\n 2",
     {"1", "\n\n", " 2"}},
};

const SplitCase kLlama3Cases[] = {
    {"Hello world",
     {"Hello", " world"}},
    {"I'M here, they'll go; it's DON'T",
     {"I", "'M", " here", ",", " they", "'ll", " go", ";", " it", "'s", " DON", "'T"}},
    {"12345678 3.14159",
     {"123", "456", "78", " ", "3", ".", "141", "59"}},
    {"  \n  x",
     {"  \n", " ", " x"}},
    {"a\n\nb",
     {"a", "\n\n", "b"}},
    {"line\r\nnext",
     {"line", "\r\n", "next"}},
    {"...!!!???\n\nfoo",
     {"...!!!???\n\n", "foo"}},
    {"(hello) 'sun",
     {"(hello", ")", " '", "sun"}},
    {"\thello  world   ",
     {"\thello", " ", " world", "   "}},
    {"\xe6""\x97""\xa5""\xe6""\x9c""\xac""\xe8""\xaa""\x9e""\xe3""\x81""\xae""\xe3""\x83""\x86""\xe3""\x82""\xad""\xe3""\x82""\xb9""\xe3""\x83""\x88""123",
     {"\xe6""\x97""\xa5""\xe6""\x9c""\xac""\xe8""\xaa""\x9e""\xe3""\x81""\xae""\xe3""\x83""\x86""\xe3""\x82""\xad""\xe3""\x82""\xb9""\xe3""\x83""\x88""", "123"}},
    {"caf\xc3""\xa9"" na\xc3""\xaf""ve",
     {"caf\xc3""\xa9""", " na\xc3""\xaf""ve"}},
    {"x\xc2""\xa0""y",
     {"x", "\xc2""\xa0""y"}},
    {" ",
     {" "}},
    {"",
     {}},
    {"a  ",
     {"a", "  "}},
    {"\xf0""\x9f""\x87""\xab""\xf0""\x9f""\x87""\xb7""\xf0""\x9f""\x91""\x8d""\xf0""\x9f""\x8f""\xbd"" ok",
     {"\xf0""\x9f""\x87""\xab""\xf0""\x9f""\x87""\xb7""\xf0""\x9f""\x91""\x8d""\xf0""\x9f""\x8f""\xbd""", " ok"}},
    {"don't STOP'RE",
     {"don", "'t", " STOP", "'RE"}},
    {"x \n",
     {"x", " \n"}},
    {"1\n\n 2",
     {"1", "\n\n", " ", "2"}},
};

std::vector<std::string> strings(const std::vector<std::string_view> &views) {
  return std::vector<std::string>(views.begin(), views.end());
}

TEST(Pretokenize, Gpt2MatchesTheRegex) {
  for (const SplitCase &c : kGpt2Cases)
    EXPECT_EQ(strings(pretokenizeGpt2(c.text)), c.pieces) << c.text;
}

TEST(Pretokenize, Llama3MatchesTheRegex) {
  for (const SplitCase &c : kLlama3Cases)
    EXPECT_EQ(strings(pretokenizeLlama3(c.text)), c.pieces) << c.text;
}

/// A byte-level vocabulary of the 256 byte characters plus `extra` tokens
/// formed by the merges, in order.
TokenizerData byteLevel(const std::vector<std::pair<std::string, std::string>> &merges) {
  TokenizerData data;
  data.model = TokenizerData::Model::ByteLevel;
  data.split = TokenizerData::Split::Gpt2;
  // Printable ASCII maps to itself among GPT-2's byte characters; the other
  // bytes are not needed by these tests, so they get placeholder names.
  for (int b = 0; b < 256; ++b)
    data.vocab.push_back(b >= '!' && b <= '~' ? std::string(1, char(b))
                                              : "<" + std::to_string(b) + ">");
  data.vocab[' '] = "\xc4\xa0"; // U+0120, GPT-2's character for the space
  for (auto &[a, b] : merges) {
    auto id = [&](const std::string &s) {
      for (size_t i = 0; i < data.vocab.size(); ++i)
        if (data.vocab[i] == s)
          return int32_t(i);
      ADD_FAILURE() << "no token " << s;
      return int32_t(0);
    };
    data.merges.emplace_back(id(a), id(b));
    data.vocab.push_back(a + b);
  }
  return data;
}

TEST(Tokenizer, MergesLowestRankFirstLeftmostOnTies) {
  // "aaa": the pair (a, a) occurs twice; the leftmost merges first.
  Tokenizer t(byteLevel({{"a", "a"}, {"b", "c"}, {"aa", "a"}}));
  EXPECT_EQ(t.encode("aaa", false), (std::vector<int32_t>{258}));
  EXPECT_EQ(t.encode("aaaa", false), (std::vector<int32_t>{256, 256}));
  EXPECT_EQ(t.encode("abc", false), (std::vector<int32_t>{'a', 257}));
  EXPECT_EQ(t.decode(t.encode("aaaa abc", false)), "aaaa abc");
}

TEST(Tokenizer, LongWordsMergeInLinearithmicTime) {
  // A 200k-character word: quadratic merging would take minutes.
  Tokenizer t(byteLevel({{"a", "b"}, {"ab", "ab"}}));
  std::string text;
  for (int i = 0; i < 100000; ++i)
    text += "ab";
  std::vector<int32_t> ids = t.encode(text, false);
  ASSERT_EQ(ids.size(), 50000u);
  EXPECT_EQ(ids.front(), 257);
  EXPECT_EQ(t.decode(ids), text);
}

TEST(Tokenizer, IgnoreMergesKeepsWholeTokens) {
  // "abc" is a token but no merge sequence builds it from a, b, c.
  TokenizerData data = byteLevel({{"a", "b"}});
  data.vocab.push_back("abc");
  Tokenizer plain(data);
  EXPECT_EQ(plain.encode("abc", false), (std::vector<int32_t>{256, 'c'}));
  data.ignoreMerges = true;
  Tokenizer whole(data);
  EXPECT_EQ(whole.encode("abc", false), (std::vector<int32_t>{257}));
}

TEST(Tokenizer, SpecialTokensLongestFirst) {
  TokenizerData data = byteLevel({});
  data.vocab.push_back("<|e|>");
  data.vocab.push_back("<|eot|>");
  data.specials = {{"<|e|>", 256}, {"<|eot|>", 257}};
  Tokenizer t(data);
  EXPECT_EQ(t.encode("a<|eot|>b", true), (std::vector<int32_t>{'a', 257, 'b'}));
  EXPECT_EQ(t.encode("a<|eot|>", false).size(), 8u);
  EXPECT_EQ(t.decode({'a', 257, 'b'}), "a<|eot|>b");
}

/// A SentencePiece vocabulary: <unk>, <s>, </s>, the byte pieces, then
/// `pieces` with merges building each multi-character piece from two
/// earlier ones.
TokenizerData sentencePiece(const std::vector<std::string> &pieces,
                            const std::vector<std::pair<int, int>> &merges) {
  TokenizerData data;
  data.model = TokenizerData::Model::SentencePiece;
  data.split = TokenizerData::Split::None;
  data.prepend = TokenizerData::Prepend::Always;
  data.byteFallback = true;
  data.decodeByteFallback = true;
  data.strip = TokenizerData::Strip::LeadingSpace;
  data.unk = 0;
  data.vocab = {"<unk>", "<s>", "</s>"};
  for (int b = 0; b < 256; ++b) {
    char piece[8];
    std::snprintf(piece, sizeof piece, "<0x%02X>", b);
    data.vocab.push_back(piece);
  }
  for (const std::string &p : pieces)
    data.vocab.push_back(p);
  for (auto [a, b] : merges)
    data.merges.emplace_back(a, b);
  data.specials = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
  return data;
}

TEST(Tokenizer, SentencePieceSpacesAndByteFallback) {
  // 259: U+2581, 260: h, 261: i, 262: U+2581 h, 263: U+2581 hi
  Tokenizer t(sentencePiece({"\xe2\x96\x81", "h", "i", "\xe2\x96\x81h",
                             "\xe2\x96\x81hi"},
                            {{259, 260}, {262, 261}}));
  EXPECT_EQ(t.encode("hi hi", false), (std::vector<int32_t>{263, 263}));
  // "é" is not a piece: its two UTF-8 bytes, <0xC3> <0xA9>.
  EXPECT_EQ(t.encode("hé", false),
            (std::vector<int32_t>{262, 3 + 0xC3, 3 + 0xA9}));
  EXPECT_EQ(t.decode({262, 3 + 0xC3, 3 + 0xA9}), "h\xc3\xa9");
  // The legacy normalizer prepends U+2581 to each segment between specials.
  EXPECT_EQ(t.encode("hi</s>hi", true), (std::vector<int32_t>{263, 2, 263}));
  EXPECT_EQ(t.decode({1, 263}), "<s> hi");
  EXPECT_TRUE(t.encode("", false).empty());
}

TEST(Tokenizer, SentencePieceUnknownWithoutByteFallback) {
  TokenizerData data = sentencePiece({"\xe2\x96\x81", "h"}, {});
  data.byteFallback = false;
  Tokenizer t(data);
  // Consecutive unknown characters fuse into one <unk>.
  EXPECT_EQ(t.encode("h\xc3\xa9\xc3\xa9h", false),
            (std::vector<int32_t>{259, 260, 0, 260}));
}

TEST(Tokenizer, MetaspaceFirstPrependsOnlyAtTheStart) {
  TokenizerData data = sentencePiece({"\xe2\x96\x81", "h"}, {});
  data.prepend = TokenizerData::Prepend::First;
  Tokenizer t(data);
  EXPECT_EQ(t.encode("h</s>h", true), (std::vector<int32_t>{259, 260, 2, 260}));
  EXPECT_EQ(t.encode(" h", false), (std::vector<int32_t>{259, 260}));
}

TEST(TokenizerData, SerializeRoundTrips) {
  TokenizerData data = sentencePiece({"\xe2\x96\x81", "h", "\xe2\x96\x81h"}, {{259, 260}});
  data.split = TokenizerData::Split::Metaspace;
  data.prepend = TokenizerData::Prepend::First;
  TokenizerData back;
  std::string error;
  ASSERT_TRUE(TokenizerData::parse(data.serialize(), back, error)) << error;
  EXPECT_EQ(back.model, data.model);
  EXPECT_EQ(back.split, data.split);
  EXPECT_EQ(back.prepend, data.prepend);
  EXPECT_EQ(back.byteFallback, data.byteFallback);
  EXPECT_EQ(back.decodeByteFallback, data.decodeByteFallback);
  EXPECT_EQ(back.strip, data.strip);
  EXPECT_EQ(back.unk, data.unk);
  EXPECT_EQ(back.vocab, data.vocab);
  EXPECT_EQ(back.merges, data.merges);
  EXPECT_EQ(back.specials, data.specials);
}

TEST(TokenizerData, ParseRejectsDamage) {
  TokenizerData data = sentencePiece({"h"}, {});
  std::string text = data.serialize();
  TokenizerData back;
  std::string error;
  EXPECT_FALSE(TokenizerData::parse(text.substr(0, text.size() / 2), back, error));
  EXPECT_FALSE(TokenizerData::parse("tern-tokenizer 1\nvocab 0\n", back, error));
  EXPECT_NE(error.find("magic"), std::string::npos);
  std::string badOptions = text;
  badOptions.replace(badOptions.find("options 1"), 9, "options 7");
  EXPECT_FALSE(TokenizerData::parse(badOptions, back, error));
  EXPECT_NE(error.find("options"), std::string::npos);
}

} // namespace
