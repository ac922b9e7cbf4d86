//===- Tokenizer.h - Byte-level BPE tokenization ----------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The tokenizer an artifact carries: ternc converts a Hugging Face
// tokenizer.json into TokenizerData and embeds its serialized form; the
// runtime parses it back and encodes and decodes text. No MLIR/LLVM.
//
// Byte-level BPE (GPT-2 style):
//   1. special tokens are matched literally (longest first);
//   2. the rest is split by the GPT-2 pre-tokenizer pattern
//        's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//      (hand-coded here, with Unicode classes from UnicodeTables.inc);
//   3. each piece's UTF-8 bytes map to GPT-2's printable byte characters;
//   4. adjacent symbols merge by merge rank, lowest first, leftmost on ties.
// Decoding concatenates the tokens' strings and maps the characters back to
// bytes.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_SUPPORT_TOKENIZER_H
#define TERN_SUPPORT_TOKENIZER_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tern {

struct TokenizerData {
  /// Token strings as tokenizer.json writes them (byte-level characters).
  std::vector<std::string> vocab;
  /// Merges in rank order, as pairs of token ids.
  std::vector<std::pair<int32_t, int32_t>> merges;
  /// Added special tokens: literal text and id.
  std::vector<std::pair<std::string, int32_t>> specials;

  std::string serialize() const;
  static bool parse(std::string_view data, TokenizerData &out,
                    std::string &error);
};

/// The GPT-2 pre-tokenizer pattern, as tokenizer.json spells it.
extern const char *const kGpt2Pattern;

/// Splits text the way kGpt2Pattern does (byte offsets of UTF-8 pieces).
std::vector<std::string_view> pretokenizeGpt2(std::string_view text);

class Tokenizer {
public:
  explicit Tokenizer(TokenizerData data);

  /// Token ids of `text` (UTF-8). Special tokens in the text are recognized
  /// when `allowSpecial`.
  std::vector<int32_t> encode(std::string_view text, bool allowSpecial) const;
  /// The UTF-8 bytes of `ids` (invalid ids decode to nothing).
  std::string decode(const std::vector<int32_t> &ids) const;
  size_t vocabSize() const { return data.vocab.size(); }

private:
  void encodePiece(std::string_view piece, std::vector<int32_t> &out) const;

  TokenizerData data;
  std::unordered_map<std::string, int32_t> ids;
  std::map<std::pair<int32_t, int32_t>, int32_t> ranks;
  int32_t byteToken[256];
  std::vector<std::string> tokenBytes; ///< each token's decoded bytes
};

} // namespace tern

#endif // TERN_SUPPORT_TOKENIZER_H
