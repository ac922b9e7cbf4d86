//===- Model.cpp - Running compiled language models -----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "Model.h"

#include <cstring>

using namespace tern::run;

bool Session::start(tern_artifact *a, std::string &error) {
  artifact = a;
  if (tern_artifact_model_info(a, &model) != TERN_OK) {
    error = tern_last_error();
    return false;
  }
  int64_t shape[4] = {model.layers, model.kv_heads, model.context,
                      model.head_dim};
  if (tern_tensor_create(TERN_F32, 4, shape, nullptr, &keyCache) != TERN_OK ||
      tern_tensor_create(TERN_F32, 4, shape, nullptr, &valueCache) != TERN_OK) {
    error = tern_last_error();
    return false;
  }
  return true;
}

Session::~Session() {
  tern_tensor_free(keyCache);
  tern_tensor_free(valueCache);
}

bool Session::feed(const std::vector<int32_t> &tokens,
                   std::vector<float> &logits, std::string &error) {
  if (tokens.empty())
    return true;
  if (pos + int64_t(tokens.size()) > model.context) {
    error = "the sequence would reach " + std::to_string(pos + tokens.size()) +
            " tokens, past the model's context of " +
            std::to_string(model.context) + " (compile with --max-context)";
    return false;
  }
  for (int32_t t : tokens)
    if (t < 0 || t >= model.vocab) {
      error = "token id " + std::to_string(t) + " is outside the vocabulary [0, " +
              std::to_string(model.vocab) + ")";
      return false;
    }
  int64_t count = int64_t(tokens.size());
  tern_tensor *ids = nullptr, *position = nullptr, *result = nullptr;
  bool ok = tern_tensor_create(TERN_I32, 1, &count, tokens.data(), &ids) == TERN_OK &&
            tern_tensor_create(TERN_I64, 0, nullptr, &pos, &position) == TERN_OK;
  if (ok) {
    tern_tensor *inputs[4] = {ids, position, keyCache, valueCache};
    ok = tern_run(artifact, count == 1 ? "decode" : "prefill", inputs, 4,
                  &result, 1) == TERN_OK;
  }
  if (!ok)
    error = tern_last_error();
  else {
    const float *data = static_cast<const float *>(tern_tensor_data(result));
    logits.insert(logits.end(), data, data + count * model.vocab);
    pos += count;
  }
  tern_tensor_free(ids);
  tern_tensor_free(position);
  tern_tensor_free(result);
  return ok;
}

int32_t tern::run::argmax(const std::vector<float> &logits, int64_t vocab,
                          size_t row) {
  const float *r = logits.data() + row * vocab;
  int32_t best = 0;
  for (int64_t v = 1; v < vocab; ++v)
    if (r[v] > r[best])
      best = int32_t(v);
  return best;
}
