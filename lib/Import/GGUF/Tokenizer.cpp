//===- Tokenizer.cpp - A GGUF file's vocabulary ---------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Key names and token types: ggml's docs/gguf.md and llama.cpp's vocabulary
// loader (llama_token_type: 1 normal, 2 unknown, 3 control, 4 user-defined,
// 5 unused, 6 byte). Unknown, control and user-defined tokens are matched in
// the text as special tokens, as llama.cpp's special-token cache does.
//
// SentencePiece ("llama") follows llama.cpp's llm_tokenizer_spm
// (src/llama-vocab.cpp): one space is put before each run of text that
// begins the input or follows a special token (when
// tokenizer.ggml.add_space_prefix, default true), spaces become U+2581, the
// symbols are the text's UTF-8 characters, and each step merges the adjacent
// pair whose concatenation is a piece of the highest score, the leftmost on
// ties; characters left without a piece become <0xNN> byte pieces. Decoding
// drops one leading space of the first token. TokenizerData expresses this
// as merges: every split a + b of a piece t, with a and b pieces, is a merge
// ranked by t's score (equal scores, equal ranks); and as the prepend and
// strip modes of Hugging Face's legacy Llama-2 tokenizer.json (Prepend on
// every text segment; Strip of one leading space of the decoded text, which
// differs from llama.cpp only when the first token decodes to nothing).
// Tern falls back to bytes per character before merging rather than after:
// the same unless a piece holds a character that is not itself a piece.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/GGUF/Tokenizer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir::tern::gguf;
using ::tern::TokenizerData;

namespace {

/// llama.cpp's llama_token_type.
enum TokenType : int64_t {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6,
};

/// Reads the tokenizer.ggml.* keys of one file; every error names the file
/// and the key.
class VocabReader {
public:
  VocabReader(const GgufFile &file, std::string &error)
      : file(file), error(error) {}

  bool read(TokenizerData &out);

private:
  bool fail(const std::string &message) {
    error = file.path() + ": " + message;
    return false;
  }
  /// `key` as an array of `element` values, or null when it is absent.
  bool array(llvm::StringRef key, ValueType element, const char *what,
             const Value *&value);
  /// A token id at `key`, if present, checked to name a token.
  bool tokenId(llvm::StringRef key, std::optional<int32_t> &id);
  bool readTokens();
  bool readTypes(bool required);
  bool readByteLevel();
  bool readSentencePiece();

  const GgufFile &file;
  std::string &error;
  TokenizerData *out = nullptr;
  llvm::StringMap<int32_t> ids;
  std::vector<int64_t> types;
};

} // namespace

bool VocabReader::array(llvm::StringRef key, ValueType element,
                        const char *what, const Value *&value) {
  value = file.find(key);
  if (value &&
      (value->type != ValueType::Array || value->elementType != element))
    return fail("'" + key.str() + "' must be an array of " + what);
  return true;
}

bool VocabReader::tokenId(llvm::StringRef key, std::optional<int32_t> &id) {
  id.reset();
  const Value *value = file.find(key);
  if (!value)
    return true;
  std::optional<int64_t> v = value->asInteger();
  if (!v || value->type == ValueType::Bool || *v < 0 ||
      *v >= int64_t(out->vocab.size()))
    return fail("'" + key.str() + "' must be a token id below " +
                std::to_string(out->vocab.size()));
  id = int32_t(*v);
  return true;
}

bool VocabReader::readTokens() {
  const Value *tokens = nullptr;
  if (!array("tokenizer.ggml.tokens", ValueType::String, "strings", tokens))
    return false;
  if (!tokens || tokens->elements.empty())
    return fail("tokenizer.ggml.tokens is missing or empty");
  if (tokens->elements.size() > size_t(INT32_MAX))
    return fail("tokenizer.ggml.tokens has more tokens than int32 ids reach");
  for (const Value &token : tokens->elements) {
    int32_t id = int32_t(out->vocab.size());
    if (!ids.try_emplace(token.string, id).second)
      return fail("token '" + token.string +
                  "' appears twice in tokenizer.ggml.tokens");
    out->vocab.push_back(token.string);
  }
  return true;
}

bool VocabReader::readTypes(bool required) {
  const Value *value = file.find("tokenizer.ggml.token_type");
  if (!value) {
    if (required)
      return fail("tokenizer.ggml.token_type is missing (a SentencePiece "
                  "vocabulary needs it to find its byte and control pieces)");
    types.assign(out->vocab.size(), Normal);
    return true;
  }
  if (value->type != ValueType::Array ||
      value->elements.size() != out->vocab.size())
    return fail("tokenizer.ggml.token_type must give one type per token (" +
                std::to_string(out->vocab.size()) + " tokens)");
  for (size_t i = 0; i < value->elements.size(); ++i) {
    std::optional<int64_t> type = value->elements[i].asInteger();
    if (!type)
      return fail("tokenizer.ggml.token_type holds a non-integer");
    if (*type < Normal || *type > Byte)
      return fail("tokenizer.ggml.token_type[" + std::to_string(i) + "] is " +
                  std::to_string(*type) +
                  ", not a token type (1 normal .. 6 byte)");
    types.push_back(*type);
    if (*type == Unknown || *type == Control || *type == UserDefined)
      out->specials.push_back({out->vocab[i], int32_t(i)});
  }
  return true;
}

bool VocabReader::read(TokenizerData &result) {
  const Value *model = file.find("tokenizer.ggml.model");
  if (!model || model->type != ValueType::String)
    return fail("no tokenizer (tokenizer.ggml.model is missing)");
  bool sentencePiece = model->string == "llama";
  if (!sentencePiece && model->string != "gpt2")
    return fail("tokenizer.ggml.model '" + model->string +
                "' is not read (Tern reads 'gpt2', byte-level BPE, and "
                "'llama', SentencePiece)");
  result = TokenizerData();
  out = &result;
  // BOS and EOS are checked only: the model's configuration carries them.
  std::optional<int32_t> bos, eos;
  if (!readTokens() || !readTypes(/*required=*/sentencePiece) ||
      !tokenId("tokenizer.ggml.bos_token_id", bos) ||
      !tokenId("tokenizer.ggml.eos_token_id", eos))
    return false;
  return sentencePiece ? readSentencePiece() : readByteLevel();
}

bool VocabReader::readByteLevel() {
  out->model = TokenizerData::Model::ByteLevel;
  std::string pre = "default";
  if (const Value *p = file.find("tokenizer.ggml.pre")) {
    if (p->type != ValueType::String)
      return fail("'tokenizer.ggml.pre' must be a string");
    pre = p->string;
  }
  std::optional<TokenizerData::Split> split =
      llvm::StringSwitch<std::optional<TokenizerData::Split>>(pre)
          .Cases({"default", "gpt-2", "gpt2"}, TokenizerData::Split::Gpt2)
          .Cases({"llama3", "llama-bpe", "llama-v3"},
                 TokenizerData::Split::Llama3)
          .Default(std::nullopt);
  if (!split)
    return fail("tokenizer.ggml.pre '" + pre +
                "' is not a pre-tokenizer Tern knows (default, gpt-2, "
                "llama-bpe / llama3)");
  out->split = *split;
  // Llama 3's vocabulary takes a pre-token that is itself a token whole
  // (tokenizer.json's ignore_merges; llama.cpp does it for this pre-type).
  out->ignoreMerges = *split == TokenizerData::Split::Llama3;

  const Value *merges = nullptr;
  if (!array("tokenizer.ggml.merges", ValueType::String, "strings", merges))
    return false;
  if (!merges)
    return true;
  for (const Value &merge : merges->elements) {
    size_t space = merge.string.find(' ', 1);
    auto left = ids.find(merge.string.substr(0, space));
    auto right = space == std::string::npos
                     ? ids.end()
                     : ids.find(merge.string.substr(space + 1));
    if (left == ids.end() || right == ids.end())
      return fail("merge '" + merge.string +
                  "' is not two tokens of the vocabulary");
    out->merges.push_back({left->second, right->second});
  }
  return true;
}

/// Whether `piece` is "<0xNN>" (upper-case hex), as llama.cpp's byte pieces
/// are spelled.
static bool isBytePiece(llvm::StringRef piece) {
  return piece.size() == 6 && piece.starts_with("<0x") &&
         piece.ends_with(">") && llvm::all_of(piece.substr(3, 2), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
         });
}

bool VocabReader::readSentencePiece() {
  out->model = TokenizerData::Model::SentencePiece;
  out->split = TokenizerData::Split::None;
  size_t n = out->vocab.size();

  const Value *scoreArray = nullptr;
  if (!array("tokenizer.ggml.scores", ValueType::F32, "float32", scoreArray))
    return false;
  if (!scoreArray)
    return fail("tokenizer.ggml.scores is missing (a SentencePiece "
                "vocabulary ranks its merges by score)");
  if (scoreArray->elements.size() != n)
    return fail("tokenizer.ggml.scores has " +
                std::to_string(scoreArray->elements.size()) + " entries for " +
                std::to_string(n) + " tokens");
  std::vector<double> scores;
  for (size_t i = 0; i < n; ++i) {
    scores.push_back(scoreArray->elements[i].floatValue);
    if (!std::isfinite(scores.back()))
      return fail("tokenizer.ggml.scores[" + std::to_string(i) +
                  "] is not finite");
  }

  bool addSpacePrefix = true;
  if (const Value *v = file.find("tokenizer.ggml.add_space_prefix")) {
    if (v->type != ValueType::Bool)
      return fail("'tokenizer.ggml.add_space_prefix' must be a bool");
    addSpacePrefix = v->unsignedValue != 0;
  }
  // llama.cpp prepends the space to every run of text (each follows a
  // special token or starts the input), and strips one leading space of
  // the decoded text: Hugging Face's Prepend normalizer and Strip decoder.
  out->prepend = addSpacePrefix ? TokenizerData::Prepend::Always
                                : TokenizerData::Prepend::Never;
  out->strip = addSpacePrefix ? TokenizerData::Strip::LeadingSpace
                              : TokenizerData::Strip::None;

  std::optional<int32_t> unk;
  if (!tokenId("tokenizer.ggml.unknown_token_id", unk))
    return false;
  if (!unk) {
    auto it = llvm::find(types, int64_t(Unknown));
    if (it != types.end())
      unk = int32_t(it - types.begin());
  }
  out->unk = unk.value_or(-1);

  for (size_t i = 0; i < n; ++i) {
    if (types[i] != Byte)
      continue;
    if (!isBytePiece(out->vocab[i]))
      return fail("tokenizer.ggml.tokens[" + std::to_string(i) + "] '" +
                  out->vocab[i] +
                  "' has tokenizer.ggml.token_type 6 (byte) but is not "
                  "spelled <0xNN>");
    out->byteFallback = out->decodeByteFallback = true;
  }

  // Merges. A piece is the result of a merge when it is normal or
  // user-defined; its parts may be any pieces but bytes (llama.cpp falls back
  // to bytes only after merging). Ranks: higher score first, equal scores
  // alike, so the tokenizer's (rank, leftmost) order is llama.cpp's
  // (score, leftmost) order.
  std::vector<int32_t> results;
  for (size_t t = 0; t < n; ++t)
    if (types[t] == Normal || types[t] == UserDefined)
      results.push_back(int32_t(t));
  llvm::sort(results, [&](int32_t a, int32_t b) {
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  });
  int32_t rank = -1;
  for (size_t i = 0; i < results.size(); ++i) {
    int32_t t = results[i];
    if (i == 0 || scores[t] != scores[results[i - 1]])
      ++rank;
    llvm::StringRef piece = out->vocab[t];
    for (size_t cut = 1; cut < piece.size(); ++cut) {
      if ((piece[cut] & 0xC0) == 0x80) // not at a UTF-8 character boundary
        continue;
      auto left = ids.find(piece.take_front(cut));
      auto right = ids.find(piece.drop_front(cut));
      if (left == ids.end() || right == ids.end() ||
          types[left->second] == Byte || types[right->second] == Byte)
        continue;
      out->merges.push_back({left->second, right->second});
      out->mergeRanks.push_back(rank);
    }
  }
  return true;
}

bool mlir::tern::gguf::readTokenizer(const GgufFile &file, TokenizerData &out,
                                     std::string &error) {
  return VocabReader(file, error).read(out);
}
