//===- TokenizerJson.cpp - Hugging Face tokenizer.json to TokenizerData ---===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Accepts the BPE tokenizers LLM checkpoints ship, recognised by their exact
// tokenizer.json configuration:
//   byte-level:    decoder ByteLevel; pre_tokenizer ByteLevel with use_regex
//                  (GPT-2), or Sequence[Split on GPT-2's or Llama-3's pattern,
//                  ByteLevel without regex];
//   SentencePiece: normalizer Sequence[Prepend "\u2581", Replace " " ->
//   "\u2581"]
//                  with no pre_tokenizer (Llama-2 "legacy"), or a Metaspace
//                  pre_tokenizer; decoder Sequence[Replace "\u2581" -> " ",
//                  ByteFallback, Fuse, Strip 1 leading space] or Metaspace.
// Anything else is refused with the reason, rather than tokenized
// differently from the reference.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/HF/TokenizerJson.h"
#include "tern/Import/HF/Checkpoint.h"
#include "tern/Support/Tokenizer.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"

using namespace mlir::tern::hf;
using ::tern::TokenizerData;
namespace json = llvm::json;

static const char kMetaspace[] = "\xE2\x96\x81"; // U+2581

static std::optional<llvm::StringRef> typeOf(const json::Value *v) {
  const json::Object *o = v ? v->getAsObject() : nullptr;
  return o ? o->getString("type") : std::nullopt;
}

/// The members of a "Sequence" (its `key` array), or the object itself.
static std::vector<const json::Object *> sequence(const json::Object *o,
                                                  llvm::StringRef key) {
  std::vector<const json::Object *> out;
  if (!o)
    return out;
  if (o->getString("type") != "Sequence") {
    out.push_back(o);
    return out;
  }
  if (const json::Array *list = o->getArray(key))
    for (const json::Value &v : *list)
      out.push_back(v.getAsObject());
  return out;
}

/// A Replace normalizer/decoder from `from` to `to`.
static bool isReplace(const json::Object *o, llvm::StringRef from,
                      llvm::StringRef to) {
  if (!o || o->getString("type") != "Replace")
    return false;
  const json::Object *pattern = o->getObject("pattern");
  return pattern && pattern->getString("String") == from &&
         o->getString("content") == to;
}

/// The byte-level split a pre_tokenizer performs, if Tern implements it.
static std::optional<TokenizerData::Split>
byteLevelSplit(const json::Object *pre) {
  if (!pre)
    return std::nullopt;
  std::optional<llvm::StringRef> type = pre->getString("type");
  if (type == "ByteLevel")
    return pre->getBoolean("use_regex").value_or(true)
               ? std::optional(TokenizerData::Split::Gpt2)
               : std::optional(TokenizerData::Split::None);
  std::vector<const json::Object *> list = sequence(pre, "pretokenizers");
  if (type != "Sequence" || list.size() != 2 || !list[0] || !list[1] ||
      list[0]->getString("type") != "Split" ||
      list[1]->getString("type") != "ByteLevel" ||
      list[1]->getBoolean("use_regex").value_or(true) ||
      list[1]->getBoolean("add_prefix_space").value_or(false) ||
      list[0]->getString("behavior").value_or("Isolated") != "Isolated" ||
      list[0]->getBoolean("invert").value_or(false))
    return std::nullopt;
  const json::Object *pattern = list[0]->getObject("pattern");
  std::optional<llvm::StringRef> regex =
      pattern ? pattern->getString("Regex") : std::nullopt;
  if (regex == ::tern::kGpt2Pattern)
    return TokenizerData::Split::Gpt2;
  if (regex == ::tern::kLlama3Pattern)
    return TokenizerData::Split::Llama3;
  return std::nullopt;
}

/// Fills the SentencePiece options from the normalizer, pre_tokenizer and
/// decoder, or says what is not supported.
static std::optional<std::string> sentencePieceOptions(const json::Object *root,
                                                       TokenizerData &out) {
  const json::Object *normalizer = root->getObject("normalizer");
  const json::Object *pre = root->getObject("pre_tokenizer");
  if (normalizer && !pre) {
    std::vector<const json::Object *> steps =
        sequence(normalizer, "normalizers");
    if (steps.size() != 2 || !steps[0] ||
        steps[0]->getString("type") != "Prepend" ||
        steps[0]->getString("prepend") != kMetaspace ||
        !isReplace(steps[1], " ", kMetaspace))
      return std::string("unsupported normalizer: expected Sequence[Prepend "
                         "\"\u2581\", Replace \" \" with \"\u2581\"]");
    out.prepend = TokenizerData::Prepend::Always;
    out.split = TokenizerData::Split::None;
  } else if (!normalizer && pre && pre->getString("type") == "Metaspace") {
    if (pre->getString("replacement") != kMetaspace)
      return std::string("unsupported Metaspace replacement");
    std::optional<llvm::StringRef> scheme = pre->getString("prepend_scheme");
    if (!scheme)
      scheme = pre->getBoolean("add_prefix_space").value_or(true) ? "always"
                                                                  : "never";
    if (*scheme == "first")
      out.prepend = TokenizerData::Prepend::First;
    else if (*scheme == "always")
      out.prepend = TokenizerData::Prepend::IfMissing;
    else if (*scheme == "never")
      out.prepend = TokenizerData::Prepend::Never;
    else
      return ("unsupported Metaspace prepend_scheme '" + *scheme + "'").str();
    out.split = pre->getBoolean("split").value_or(true)
                    ? TokenizerData::Split::Metaspace
                    : TokenizerData::Split::None;
  } else {
    return std::string("unsupported normalizer/pre_tokenizer pair for a "
                       "SentencePiece vocabulary");
  }
  const json::Object *decoder = root->getObject("decoder");
  std::vector<const json::Object *> steps = sequence(decoder, "decoders");
  if (steps.size() == 1 && typeOf(root->get("decoder")) == "Metaspace") {
    if (decoder->getString("replacement") != kMetaspace)
      return std::string("unsupported Metaspace decoder replacement");
    std::optional<llvm::StringRef> scheme =
        decoder->getString("prepend_scheme");
    bool prepends =
        scheme ? *scheme != "never"
               : decoder->getBoolean("add_prefix_space").value_or(true);
    out.strip = prepends ? TokenizerData::Strip::FirstToken
                         : TokenizerData::Strip::None;
    return std::nullopt;
  }
  size_t i = 0;
  bool ok = i < steps.size() && isReplace(steps[i++], kMetaspace, " ");
  if (ok && i < steps.size() && steps[i] &&
      steps[i]->getString("type") == "ByteFallback") {
    out.decodeByteFallback = true;
    ++i;
  }
  ok = ok && i < steps.size() && steps[i] &&
       steps[i]->getString("type") == "Fuse";
  ++i;
  if (ok && i < steps.size()) {
    const json::Object *strip = steps[i++];
    ok = strip && strip->getString("type") == "Strip" &&
         strip->getString("content") == " " &&
         strip->getInteger("start") == 1 && strip->getInteger("stop") == 0;
    out.strip = TokenizerData::Strip::LeadingSpace;
  }
  if (!ok || i != steps.size())
    return std::string("unsupported decoder: expected Metaspace, or "
                       "Sequence[Replace \"\u2581\" with \" \", ByteFallback, "
                       "Fuse, Strip]");
  return std::nullopt;
}

bool mlir::tern::hf::readTokenizerJson(const std::string &path,
                                       ::tern::TokenizerData &out,
                                       std::string &error) {
  auto fail = [&](const llvm::Twine &what) {
    error = (path + ": " + what).str();
    return false;
  };
  json::Value parsed(nullptr);
  if (!readJsonFile(path, parsed, error))
    return false;
  const json::Object *root = parsed.getAsObject();
  const json::Object *model = root ? root->getObject("model") : nullptr;
  if (!model || model->getString("type") != "BPE")
    return fail("only BPE tokenizers are supported (model.type \"BPE\")");
  for (llvm::StringRef key :
       {"continuing_subword_prefix", "end_of_word_suffix"})
    if (std::optional<llvm::StringRef> v = model->getString(key);
        v && !v->empty())
      return fail("unsupported BPE option model." + key);
  out = ::tern::TokenizerData();
  out.ignoreMerges = model->getBoolean("ignore_merges").value_or(false);
  out.byteFallback = model->getBoolean("byte_fallback").value_or(false);
  if (typeOf(root->get("decoder")) == "ByteLevel") {
    if (root->getObject("normalizer"))
      return fail("unsupported normalizer for a byte-level tokenizer");
    std::optional<TokenizerData::Split> split =
        byteLevelSplit(root->getObject("pre_tokenizer"));
    if (!split)
      return fail("unsupported pre_tokenizer: Tern implements GPT-2's and "
                  "Llama-3's byte-level patterns (ByteLevel, or Split on one "
                  "of them followed by ByteLevel)");
    out.model = TokenizerData::Model::ByteLevel;
    out.split = *split;
  } else {
    out.model = TokenizerData::Model::SentencePiece;
    if (std::optional<std::string> why = sentencePieceOptions(root, out))
      return fail(*why);
  }
  const json::Object *vocab = model->getObject("vocab");
  if (!vocab)
    return fail("model.vocab is missing");
  int64_t size = 0;
  for (auto &[token, id] : *vocab) {
    std::optional<int64_t> v = id.getAsInteger();
    if (!v || *v < 0 || *v > (int64_t(1) << 24))
      return fail("vocab entry '" + token.str() + "' has a bad id");
    size = std::max(size, *v + 1);
  }
  const json::Array *added = root->getArray("added_tokens");
  if (added)
    for (const json::Value &t : *added)
      if (const json::Object *o = t.getAsObject())
        if (std::optional<int64_t> id = o->getInteger("id"))
          size = std::max(size, *id + 1);
  out.vocab.resize(size_t(size));
  for (auto &[token, id] : *vocab)
    out.vocab[size_t(*id.getAsInteger())] = token.str();
  llvm::StringMap<int32_t> ids;
  for (size_t i = 0; i < out.vocab.size(); ++i)
    if (!out.vocab[i].empty())
      ids[out.vocab[i]] = int32_t(i);
  const json::Array *merges = model->getArray("merges");
  if (!merges)
    return fail("model.merges is missing");
  for (const json::Value &m : *merges) {
    llvm::StringRef a, b;
    if (std::optional<llvm::StringRef> s = m.getAsString()) {
      std::tie(a, b) = s->split(' ');
    } else if (const json::Array *pair = m.getAsArray();
               pair && pair->size() == 2 && (*pair)[0].getAsString() &&
               (*pair)[1].getAsString()) {
      a = *(*pair)[0].getAsString();
      b = *(*pair)[1].getAsString();
    } else {
      return fail("a merge is neither \"a b\" nor [a, b]");
    }
    auto ia = ids.find(a), ib = ids.find(b);
    if (ia == ids.end() || ib == ids.end() || !ids.count((a + b).str()))
      return fail("merge '" + a + " " + b + "' uses tokens not in the vocab");
    out.merges.emplace_back(ia->second, ib->second);
  }
  if (std::optional<llvm::StringRef> unk = model->getString("unk_token")) {
    auto it = ids.find(*unk);
    if (it == ids.end())
      return fail("model.unk_token '" + *unk + "' is not in the vocab");
    out.unk = it->second;
  }
  if (added)
    for (const json::Value &t : *added) {
      const json::Object *o = t.getAsObject();
      std::optional<int64_t> id = o ? o->getInteger("id") : std::nullopt;
      std::optional<llvm::StringRef> content =
          o ? o->getString("content") : std::nullopt;
      if (!id || !content)
        return fail("an added token lacks id or content");
      out.vocab[size_t(*id)] = content->str();
      out.specials.emplace_back(content->str(), int32_t(*id));
    }
  return true;
}
