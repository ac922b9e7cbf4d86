//===- TokenizerJson.cpp - Hugging Face tokenizer.json to TokenizerData ---===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Accepts byte-level BPE tokenizers (model.type "BPE" with a ByteLevel
// decoder) whose pre-tokenizer is GPT-2's: ByteLevel with use_regex, or a
// Split on kGpt2Pattern followed by ByteLevel. Anything else is refused with
// the reason, rather than tokenized differently from the reference.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/HF/TokenizerJson.h"
#include "tern/Support/Tokenizer.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir::tern::hf;
namespace json = llvm::json;

/// Whether `pre` splits the way GPT-2's pre-tokenizer does.
static bool isGpt2PreTokenizer(const json::Object *pre) {
  if (!pre)
    return false;
  std::optional<llvm::StringRef> type = pre->getString("type");
  if (type && *type == "ByteLevel")
    return pre->getBoolean("use_regex").value_or(true);
  if (!type || *type != "Sequence")
    return false;
  const json::Array *list = pre->getArray("pretokenizers");
  if (!list || list->size() != 2)
    return false;
  const json::Object *split = (*list)[0].getAsObject();
  const json::Object *byteLevel = (*list)[1].getAsObject();
  if (!split || !byteLevel || split->getString("type") != "Split" ||
      byteLevel->getString("type") != "ByteLevel" ||
      byteLevel->getBoolean("use_regex").value_or(true))
    return false;
  const json::Object *pattern = split->getObject("pattern");
  std::optional<llvm::StringRef> regex =
      pattern ? pattern->getString("Regex") : std::nullopt;
  return regex && *regex == ::tern::kGpt2Pattern;
}

bool mlir::tern::hf::readTokenizerJson(const std::string &path,
                                       ::tern::TokenizerData &out,
                                       std::string &error) {
  auto fail = [&](const llvm::Twine &what) {
    error = (path + ": " + what).str();
    return false;
  };
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return fail("cannot read: " + buffer.getError().message());
  llvm::Expected<json::Value> parsed = json::parse((*buffer)->getBuffer());
  if (!parsed)
    return fail("invalid JSON: " + llvm::toString(parsed.takeError()));
  const json::Object *root = parsed->getAsObject();
  const json::Object *model = root ? root->getObject("model") : nullptr;
  if (!model || model->getString("type") != "BPE")
    return fail("only BPE tokenizers are supported (model.type \"BPE\")");
  if (!isGpt2PreTokenizer(root->getObject("pre_tokenizer")))
    return fail("unsupported pre_tokenizer: Tern implements GPT-2's byte-level "
                "pattern (ByteLevel, or Split on it followed by ByteLevel)");
  const json::Object *decoder = root->getObject("decoder");
  if (!decoder || decoder->getString("type") != "ByteLevel")
    return fail("unsupported decoder: expected ByteLevel");
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
  out = ::tern::TokenizerData();
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
