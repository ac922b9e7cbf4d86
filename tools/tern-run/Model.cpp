//===- Model.cpp - Running compiled language models -----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "Model.h"
#include "tern/Support/Npy.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
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

namespace {

int fail(const std::string &message) {
  std::fprintf(stderr, "tern-run: error: %s\n", message.c_str());
  return 1;
}

/// Prints the text of `ids` not yet printed, holding back an incomplete UTF-8
/// sequence at the end until the next token completes it.
class Streamer {
public:
  explicit Streamer(tern_artifact *artifact) : artifact(artifact) {}
  void push(int32_t id) {
    ids.push_back(id);
    char *text = nullptr;
    size_t length = 0;
    if (tern_detokenize(artifact, ids.data(), ids.size(), &text, &length) != TERN_OK)
      return;
    size_t complete = length;
    // Back off over a trailing partial UTF-8 sequence.
    for (size_t back = 1; back <= 3 && back <= length; ++back) {
      unsigned char c = static_cast<unsigned char>(text[length - back]);
      if ((c & 0xC0) == 0x80)
        continue;
      int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (need > int(back))
        complete = length - back;
      break;
    }
    if (complete > printed) {
      std::fwrite(text + printed, 1, complete - printed, stdout);
      std::fflush(stdout);
      printed = complete;
    }
    tern_free(text);
  }

private:
  tern_artifact *artifact;
  std::vector<int32_t> ids;
  size_t printed = 0;
};

bool tokenize(tern_artifact *artifact, const std::string &text,
              std::vector<int32_t> &out, std::string &error) {
  int32_t *ids = nullptr;
  size_t count = 0;
  if (tern_tokenize(artifact, text.data(), text.size(), 1, &ids, &count) != TERN_OK) {
    error = tern_last_error();
    return false;
  }
  out.assign(ids, ids + count);
  tern_free(ids);
  return true;
}

double seconds(std::chrono::steady_clock::time_point a,
               std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// Perplexity over a text file: windows of the model's context, each
/// predicting its tokens after the first.
int perplexity(tern_artifact *artifact, const std::string &path) {
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return fail(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0)
    text.append(buffer, n);
  std::fclose(file);
  std::vector<int32_t> tokens;
  std::string error;
  if (!tokenize(artifact, text, tokens, error))
    return fail(error);
  tern_model_info info;
  tern_artifact_model_info(artifact, &info);
  if (info.bos >= 0)
    tokens.insert(tokens.begin(), int32_t(info.bos));
  double nll = 0;
  size_t predicted = 0;
  for (size_t start = 0; start + 1 < tokens.size(); start += size_t(info.context)) {
    size_t end = std::min(tokens.size(), start + size_t(info.context));
    Session session;
    std::vector<float> logits;
    if (!session.start(artifact, error) ||
        !session.feed({tokens.begin() + start, tokens.begin() + end}, logits, error))
      return fail(error);
    for (size_t i = start; i + 1 < end; ++i) {
      const float *row = logits.data() + (i - start) * info.vocab;
      double max = *std::max_element(row, row + info.vocab), sum = 0;
      for (int64_t v = 0; v < info.vocab; ++v)
        sum += std::exp(double(row[v]) - max);
      nll += std::log(sum) + max - row[tokens[i + 1]];
      ++predicted;
    }
  }
  if (!predicted)
    return fail(path + ": too short to measure perplexity");
  std::printf("perplexity: %.4f over %zu predicted tokens\n",
              std::exp(nll / double(predicted)), predicted);
  return 0;
}

} // namespace

int tern::run::runModel(tern_artifact *artifact, const ModelCommand &cmd) {
  if (!cmd.perplexityFile.empty())
    return perplexity(artifact, cmd.perplexityFile);
  Session session;
  std::string error;
  if (!session.start(artifact, error))
    return fail(error);
  const tern_model_info &info = session.info();
  std::vector<int32_t> prompt = cmd.tokens;
  if (cmd.havePrompt) {
    if (!tokenize(artifact, cmd.prompt, prompt, error))
      return fail(error);
    if (cmd.printTokens) {
      std::printf("tokens:");
      for (size_t i = 0; i < prompt.size(); ++i)
        std::printf("%s%d", i ? "," : " ", prompt[i]);
      std::printf("\n");
      return 0;
    }
    if (info.bos >= 0 && (prompt.empty() || prompt[0] != info.bos))
      prompt.insert(prompt.begin(), int32_t(info.bos));
  }
  if (prompt.empty())
    return fail("the prompt has no tokens");

  std::vector<float> logits;
  size_t split = cmd.decodeFrom < 0
                     ? prompt.size()
                     : std::min<size_t>(size_t(cmd.decodeFrom), prompt.size());
  auto t0 = std::chrono::steady_clock::now();
  if (!session.feed({prompt.begin(), prompt.begin() + split}, logits, error))
    return fail(error);
  for (size_t i = split; i < prompt.size(); ++i)
    if (!session.feed({prompt[i]}, logits, error))
      return fail(error);
  auto t1 = std::chrono::steady_clock::now();
  if (!cmd.logitsOut.empty()) {
    tern::NpyArray array;
    array.dtype = tern::DType::F32;
    array.shape = {int64_t(prompt.size()), info.vocab};
    const char *bytes = reinterpret_cast<const char *>(logits.data());
    array.data.assign(bytes, bytes + logits.size() * sizeof(float));
    if (!tern::writeNpy(cmd.logitsOut, array, error))
      return fail(error);
  }
  if (cmd.generate <= 0)
    return 0;

  Sampler sampler(cmd.sampling);
  std::vector<int32_t> history = prompt, generated;
  Streamer streamer(artifact);
  bool text = cmd.havePrompt;
  if (text)
    std::fwrite(cmd.prompt.data(), 1, cmd.prompt.size(), stdout);
  const float *last = logits.data() + (prompt.size() - 1) * info.vocab;
  int32_t next = sampler.next(last, info.vocab, history);
  auto t2 = std::chrono::steady_clock::now();
  for (long g = 0; g < cmd.generate; ++g) {
    if (next == info.eos && !cmd.ignoreEos)
      break;
    generated.push_back(next);
    history.push_back(next);
    if (text)
      streamer.push(next);
    if (g + 1 == cmd.generate)
      break;
    std::vector<float> step;
    if (!session.feed({next}, step, error))
      return fail(error);
    next = sampler.next(step.data(), info.vocab, history);
  }
  auto t3 = std::chrono::steady_clock::now();
  if (text) {
    std::printf("\n");
    std::fflush(stdout);
  } else {
    std::printf("generated:");
    for (size_t i = 0; i < generated.size(); ++i)
      std::printf("%s%d", i ? "," : " ", generated[i]);
    std::printf("\n");
    std::fflush(stdout);
  }
  size_t decoded = generated.size() > 1 ? generated.size() - 1 : 0;
  std::fprintf(stderr,
               "prefill: %zu tokens, %.1f tok/s; decode: %zu tokens, %.1f tok/s\n",
               prompt.size(), prompt.size() / seconds(t0, t1), decoded,
               decoded ? decoded / seconds(t2, t3) : 0.0);
  return 0;
}
