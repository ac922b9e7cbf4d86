//===- Tokenizer.h - BPE tokenization ---------------------------*- C++ -*-===//
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
// Two families, both BPE with merges applied by rank (lowest first, leftmost
// on ties), after special tokens are matched literally (longest first). A
// rank is a merge's index, or given per merge so that several merges can
// share one (GGUF SentencePiece vocabularies: every split of a piece, and
// pieces of equal score, rank alike):
//
// Byte-level (GPT-2, Llama-3): the text is split by a pre-tokenizer pattern,
// each piece's UTF-8 bytes map to GPT-2's printable byte characters, and the
// piece is merged. Patterns, hand-coded with Unicode classes from
// UnicodeTables.inc:
//   GPT-2:   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|
//            \s+(?!\S)|\s+
//   Llama-3: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|
//            \p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// With ignore_merges (Llama-3), a piece that is itself a token is not merged.
//
// SentencePiece-style (Llama-2 family): spaces become U+2581 "\u2581", which is
// also prepended (to every text segment, or to the first only); each segment
// is one word; characters missing from the vocabulary fall back to their
// UTF-8 bytes as <0xNN> tokens (or to <unk>). Decoding maps U+2581 back to
// spaces and <0xNN> to bytes, and drops the prepended space, each the way
// the checkpoint's decoder does.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_SUPPORT_TOKENIZER_H
#define TERN_SUPPORT_TOKENIZER_H

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tern {

struct TokenizerData {
  enum class Model : uint8_t { ByteLevel, SentencePiece };
  /// How text is split before merging (byte-level) or into words
  /// (SentencePiece: None, or Metaspace's split at each U+2581).
  enum class Split : uint8_t { None, Gpt2, Llama3, Metaspace };
  /// Where SentencePiece prepends U+2581: never; before every non-empty text
  /// segment (the legacy Prepend normalizer); before every segment not
  /// already starting with one (Metaspace "always"); or only before the
  /// segment at the start of the text, if it lacks one (Metaspace "first").
  enum class Prepend : uint8_t { Never, Always, IfMissing, First };

  Model model = Model::ByteLevel;
  Split split = Split::Gpt2;
  Prepend prepend = Prepend::Never;
  /// How decoding removes SentencePiece's prepended space: not at all; one
  /// leading space of the text (the legacy Strip decoder); or every U+2581
  /// of the first token (the Metaspace decoder).
  enum class Strip : uint8_t { None, LeadingSpace, FirstToken };

  bool ignoreMerges = false;
  /// Encoding: characters missing from the vocabulary become <0xNN> tokens.
  bool byteFallback = false;
  /// Decoding: <0xNN> tokens become their bytes (the ByteFallback decoder;
  /// without it they decode as their text, as the Metaspace decoder does).
  bool decodeByteFallback = false;
  Strip strip = Strip::None;
  int32_t unk = -1;

  /// Token strings as tokenizer.json writes them (byte-level characters, or
  /// SentencePiece pieces with U+2581 for spaces).
  std::vector<std::string> vocab;
  /// Merges in rank order, as pairs of token ids.
  std::vector<std::pair<int32_t, int32_t>> merges;
  /// Each merge's rank when ranks are shared (one per merge, non-decreasing);
  /// empty when merge i has rank i.
  std::vector<int32_t> mergeRanks;
  /// Added special tokens: literal text and id.
  std::vector<std::pair<std::string, int32_t>> specials;

  std::string serialize() const;
  static bool parse(std::string_view data, TokenizerData &out,
                    std::string &error);
};

/// The pre-tokenizer patterns, as tokenizer.json spells them.
extern const char *const kGpt2Pattern;
extern const char *const kLlama3Pattern;

/// Splits text the way kGpt2Pattern / kLlama3Pattern do (UTF-8 pieces).
std::vector<std::string_view> pretokenizeGpt2(std::string_view text);
std::vector<std::string_view> pretokenizeLlama3(std::string_view text);

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
  /// Encodes one text segment free of special tokens; `atStart` says whether
  /// it begins the text.
  void encodeSegment(std::string_view text, bool atStart,
                     std::vector<int32_t> &out) const;
  void encodeByteLevel(std::string_view piece, std::vector<int32_t> &out) const;
  void encodeWord(std::string_view word, std::vector<int32_t> &out) const;
  /// Applies the merges to `symbols` in place.
  void merge(std::vector<int32_t> &symbols) const;

  struct Merge {
    int32_t rank, result;
  };
  TokenizerData data;
  std::unordered_map<std::string, int32_t> ids;
  std::unordered_map<uint64_t, Merge> merges; ///< key: left << 32 | right
  int32_t byteToken[256]; ///< byte-level character, or <0xNN>, per byte
  std::vector<std::string> tokenBytes; ///< each token's decoded bytes
};

} // namespace tern

#endif // TERN_SUPPORT_TOKENIZER_H
