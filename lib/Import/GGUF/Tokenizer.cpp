//===- Tokenizer.cpp - A GGUF file's vocabulary ---------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Key names and token types: ggml's docs/gguf.md and llama.cpp's vocabulary
// loader (llama_token_type: 1 normal, 2 unknown, 3 control, 4 user-defined,
// 5 unused, 6 byte).
//
//===----------------------------------------------------------------------===//
#include "tern/Import/GGUF/Tokenizer.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir::tern::gguf;

bool mlir::tern::gguf::readTokenizer(const GgufFile &file,
                                     ::tern::TokenizerData &out,
                                     std::string &error) {
  auto fail = [&](const std::string &message) {
    error = file.path() + ": " + message;
    return false;
  };
  auto strings = [&](llvm::StringRef key,
                     const Value *&value) -> bool {
    value = file.find(key);
    if (!value)
      return true;
    if (value->type != ValueType::Array ||
        value->elementType != ValueType::String)
      return fail("'" + key.str() + "' must be an array of strings");
    return true;
  };
  const Value *model = file.find("tokenizer.ggml.model");
  if (!model || model->type != ValueType::String)
    return fail("no tokenizer (tokenizer.ggml.model is missing)");
  if (model->string != "gpt2")
    return fail("tokenizer.ggml.model '" + model->string +
                "' is not read yet (only 'gpt2', byte-level BPE, is)");
  out = ::tern::TokenizerData();
  out.model = ::tern::TokenizerData::Model::ByteLevel;
  std::string pre = "default";
  if (const Value *p = file.find("tokenizer.ggml.pre")) {
    if (p->type != ValueType::String)
      return fail("'tokenizer.ggml.pre' must be a string");
    pre = p->string;
  }
  std::optional<::tern::TokenizerData::Split> split =
      llvm::StringSwitch<std::optional<::tern::TokenizerData::Split>>(pre)
          .Cases({"default", "gpt-2", "gpt2"}, ::tern::TokenizerData::Split::Gpt2)
          .Cases({"llama3", "llama-bpe", "llama-v3"},
                 ::tern::TokenizerData::Split::Llama3)
          .Default(std::nullopt);
  if (!split)
    return fail("tokenizer.ggml.pre '" + pre +
                "' is not a pre-tokenizer Tern knows (default, gpt-2, "
                "llama-bpe / llama3)");
  out.split = *split;
  // Llama 3's vocabulary takes a pre-token that is itself a token whole
  // (tokenizer.json's ignore_merges; llama.cpp does it for this pre-type).
  out.ignoreMerges = *split == ::tern::TokenizerData::Split::Llama3;

  const Value *tokens = nullptr, *merges = nullptr;
  if (!strings("tokenizer.ggml.tokens", tokens) ||
      !strings("tokenizer.ggml.merges", merges))
    return false;
  if (!tokens || tokens->elements.empty())
    return fail("tokenizer.ggml.tokens is missing or empty");
  llvm::StringMap<int32_t> ids;
  for (const Value &token : tokens->elements) {
    int32_t id = int32_t(out.vocab.size());
    if (!ids.try_emplace(token.string, id).second)
      return fail("token '" + token.string + "' appears twice in "
                  "tokenizer.ggml.tokens");
    out.vocab.push_back(token.string);
  }
  if (merges) {
    for (const Value &merge : merges->elements) {
      size_t space = merge.string.find(' ', 1);
      auto left = ids.find(merge.string.substr(0, space));
      auto right = space == std::string::npos
                       ? ids.end()
                       : ids.find(merge.string.substr(space + 1));
      if (left == ids.end() || right == ids.end())
        return fail("merge '" + merge.string +
                    "' is not two tokens of the vocabulary");
      out.merges.push_back({left->second, right->second});
    }
  }
  if (const Value *types = file.find("tokenizer.ggml.token_type")) {
    if (types->type != ValueType::Array ||
        types->elements.size() != out.vocab.size())
      return fail("tokenizer.ggml.token_type must give one type per token");
    for (size_t i = 0; i < types->elements.size(); ++i) {
      std::optional<int64_t> type = types->elements[i].asInteger();
      if (!type)
        return fail("tokenizer.ggml.token_type holds a non-integer");
      if (*type == 3 || *type == 4) // control, user-defined: matched whole
        out.specials.push_back({out.vocab[i], int32_t(i)});
    }
  }
  return true;
}
