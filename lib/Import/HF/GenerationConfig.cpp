//===- GenerationConfig.cpp - Generation defaults of a checkpoint ---------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/HF/GenerationConfig.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdio>

using namespace mlir::tern::hf;
namespace json = llvm::json;

std::string mlir::tern::hf::detectChatFormat(llvm::StringRef t) {
  if (t.contains("<|start_header_id|>"))
    return "llama3";
  if (t.contains("<|im_start|>"))
    return "chatml";
  if (t.contains("[INST]"))
    return "llama2";
  if (t.contains("<|user|>"))
    return "zephyr";
  if (t.contains("User: ") && t.contains("Assistant: "))
    return "bitnet";
  return "";
}

/// The token that ends an assistant turn in `format`, besides eos.
static llvm::StringRef endOfTurn(llvm::StringRef format) {
  if (format == "llama3" || format == "bitnet")
    return "<|eot_id|>";
  if (format == "chatml")
    return "<|im_end|>";
  return "";
}

namespace {
/// Reads one optional JSON file of the checkpoint, with errors naming it.
struct JsonFile {
  std::string path;
  json::Value value{nullptr};
  bool present = false;

  bool read(llvm::StringRef directory, llvm::StringRef name,
            std::string &error) {
    llvm::SmallString<256> p(directory);
    llvm::sys::path::append(p, name);
    path = p.str().str();
    if (!llvm::sys::fs::exists(path))
      return true;
    present = true;
    if (!readJsonFile(path, value, error))
      return false;
    if (!value.getAsObject()) {
      error = path + ": expected a JSON object";
      return false;
    }
    return true;
  }
  const json::Object *object() const {
    return present ? value.getAsObject() : nullptr;
  }
};
} // namespace

static std::string shortNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

/// Appends the ids of `key` (an integer or a list of them) to `ids`.
static bool tokenIds(const json::Object &o, llvm::StringRef key,
                     const std::string &path, std::vector<int64_t> &ids,
                     std::string &error) {
  const json::Value *v = o.get(key);
  if (!v || v->kind() == json::Value::Null)
    return true;
  auto add = [&](const json::Value &item) {
    std::optional<int64_t> id = item.getAsInteger();
    if (!id || *id < 0) {
      error =
          path + ": '" + key.str() + "' must be a token id or a list of them";
      return false;
    }
    ids.push_back(*id);
    return true;
  };
  if (const json::Array *list = v->getAsArray()) {
    for (const json::Value &item : *list)
      if (!add(item))
        return false;
    return true;
  }
  return add(*v);
}

/// A special token named in tokenizer_config.json: a string, or an object
/// with "content".
static std::optional<std::string> tokenText(const json::Object &o,
                                            llvm::StringRef key) {
  const json::Value *v = o.get(key);
  if (!v)
    return std::nullopt;
  if (std::optional<llvm::StringRef> s = v->getAsString())
    return s->str();
  if (const json::Object *obj = v->getAsObject())
    if (std::optional<llvm::StringRef> s = obj->getString("content"))
      return s->str();
  return std::nullopt;
}

static int64_t lookup(const ::tern::TokenizerData *tokenizer,
                      llvm::StringRef text) {
  if (!tokenizer || text.empty())
    return -1;
  for (const auto &[special, id] : tokenizer->specials)
    if (special == text)
      return id;
  for (size_t id = 0; id < tokenizer->vocab.size(); ++id)
    if (tokenizer->vocab[id] == text)
      return int64_t(id);
  return -1;
}

void mlir::tern::hf::applyChatTemplate(llvm::StringRef chatTemplate,
                                       const ::tern::TokenizerData *tokenizer,
                                       ::tern::ModelMetadata &model) {
  model.chatFormat = detectChatFormat(chatTemplate);
  int64_t id = lookup(tokenizer, endOfTurn(model.chatFormat));
  if (id >= 0 && id < model.vocab && !llvm::is_contained(model.stop, id))
    model.stop.push_back(id);
}

bool mlir::tern::hf::readGenerationConfig(
    const Checkpoint &checkpoint, const ::tern::TokenizerData *tokenizer,
    ::tern::ModelMetadata &model, std::string &error) {
  return readGenerationConfig(checkpoint.directory(), checkpoint.config(),
                              tokenizer, model, error);
}

bool mlir::tern::hf::readGenerationConfig(
    llvm::StringRef directory, const json::Object &config,
    const ::tern::TokenizerData *tokenizer, ::tern::ModelMetadata &model,
    std::string &error) {
  JsonFile generation, tokenizerConfig;
  if (!generation.read(directory, "generation_config.json", error) ||
      !tokenizerConfig.read(directory, "tokenizer_config.json", error))
    return false;

  std::vector<int64_t> stop;
  if (model.eos >= 0)
    stop.push_back(model.eos);
  if (!tokenIds(config, "eos_token_id", (directory + "/config.json").str(),
                stop, error))
    return false;

  if (const json::Object *g = generation.object()) {
    if (!tokenIds(*g, "eos_token_id", generation.path, stop, error))
      return false;
    auto number = [&](llvm::StringRef key, double fallback, double low,
                      double high, double &out) {
      const json::Value *v = g->get(key);
      out = fallback;
      if (!v || v->kind() == json::Value::Null)
        return true;
      std::optional<double> d = v->getAsNumber();
      if (!d || *d < low || *d > high) {
        error = (generation.path + ": '" + key + "' must be a number in [" +
                 shortNumber(low) + ", " + shortNumber(high) + "]")
                    .str();
        return false;
      }
      out = *d;
      return true;
    };
    double temperature, topK, topP, penalty, maxNew;
    if (!number("temperature", 1.0, 0, 1e6, temperature) ||
        !number("top_k", 50, 0, 1e9, topK) ||
        !number("top_p", 1.0, 0, 1, topP) ||
        !number("repetition_penalty", 1.0, 1e-6, 1e6, penalty) ||
        !number("max_new_tokens", 0, 0, 1e9, maxNew))
      return false;
    // transformers samples only with do_sample; otherwise decoding is greedy
    // whatever the temperature says.
    bool sample = g->getBoolean("do_sample").value_or(false);
    model.hasGeneration = true;
    model.temperature = sample ? float(temperature) : 0.0f;
    model.topK = sample ? int64_t(topK) : 0;
    model.topP = sample ? float(topP) : 1.0f;
    model.repeatPenalty = float(penalty);
    model.maxNewTokens = int64_t(maxNew);
  }

  if (const json::Object *t = tokenizerConfig.object()) {
    if (std::optional<std::string> eos = tokenText(*t, "eos_token"))
      if (int64_t id = lookup(tokenizer, *eos); id >= 0)
        stop.push_back(id);
    if (std::optional<llvm::StringRef> tmpl = t->getString("chat_template")) {
      model.chatFormat = detectChatFormat(*tmpl);
      if (int64_t id = lookup(tokenizer, endOfTurn(model.chatFormat)); id >= 0)
        stop.push_back(id);
    }
  }

  for (int64_t id : stop) {
    if (id >= model.vocab) {
      error = directory.str() + ": end-of-text token id " +
              std::to_string(id) + " is outside the vocabulary of " +
              std::to_string(model.vocab);
      return false;
    }
    if (!llvm::is_contained(model.stop, id))
      model.stop.push_back(id);
  }
  if (model.eos < 0 && !model.stop.empty())
    model.eos = model.stop.front();
  return true;
}
