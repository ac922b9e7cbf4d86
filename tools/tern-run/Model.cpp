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
#include <iostream>

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
  size_t inputs, results;
  hasPrefillLast = tern_artifact_function_info(a, "prefill_last", &inputs,
                                               &results) == TERN_OK;
  return true;
}

Session::~Session() {
  tern_tensor_free(keyCache);
  tern_tensor_free(valueCache);
}

bool Session::feed(const std::vector<int32_t> &tokens,
                   std::vector<float> &logits, std::string &error,
                   bool lastOnly) {
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
      error = "token id " + std::to_string(t) +
              " is outside the vocabulary [0, " + std::to_string(model.vocab) +
              ")";
      return false;
    }
  int64_t count = int64_t(tokens.size());
  tern_tensor *ids = nullptr, *position = nullptr, *result = nullptr;
  bool ok =
      tern_tensor_create(TERN_I32, 1, &count, tokens.data(), &ids) == TERN_OK &&
      tern_tensor_create(TERN_I64, 0, nullptr, &pos, &position) == TERN_OK;
  if (ok) {
    tern_tensor *inputs[4] = {ids, position, keyCache, valueCache};
    lastOnly = lastOnly && count > 1 && hasPrefillLast;
    const char *entry = count == 1 ? "decode"
                        : lastOnly ? "prefill_last"
                                   : "prefill";
    ok = tern_run(artifact, entry, inputs, 4, &result, 1) == TERN_OK;
  }
  if (!ok)
    error = tern_last_error();
  else {
    const float *data = static_cast<const float *>(tern_tensor_data(result));
    int64_t rows = lastOnly ? 1 : count;
    logits.insert(logits.end(), data, data + rows * model.vocab);
    pos += count;
  }
  tern_tensor_free(ids);
  tern_tensor_free(position);
  tern_tensor_free(result);
  return ok;
}

bool tern::run::readWholeFile(const std::string &path, std::string &out,
                              std::string &error) {
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  out.clear();
  char buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0)
    out.append(buffer, n);
  std::fclose(file);
  return true;
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

// Chat formats: the text each chat_template renders, turn by turn. BOS is
// fed as a token before the opening; special tokens in the text are
// recognized by the tokenizer.
static std::string noOpening(const std::string &) { return ""; }

static const ChatFormat kChatFormats[] = {
    {"llama3",
     [](const std::string &system) {
       return system.empty()
                  ? std::string()
                  : "<|start_header_id|>system<|end_header_id|>\n\n" + system +
                        "<|eot_id|>";
     },
     [](const std::string &text, bool, const std::string &) {
       return "<|start_header_id|>user<|end_header_id|>\n\n" + text +
              "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
     },
     ""},
    {"bitnet",
     [](const std::string &system) {
       return system.empty() ? std::string()
                             : "System: " + system + "<|eot_id|>";
     },
     [](const std::string &text, bool, const std::string &) {
       return "User: " + text + "<|eot_id|>Assistant: ";
     },
     ""},
    {"chatml",
     [](const std::string &system) {
       return system.empty() ? std::string()
                             : "<|im_start|>system\n" + system + "<|im_end|>\n";
     },
     [](const std::string &text, bool, const std::string &) {
       return "<|im_start|>user\n" + text +
              "<|im_end|>\n<|im_start|>assistant\n";
     },
     "\n"},
    {"llama2", noOpening,
     [](const std::string &text, bool first, const std::string &system) {
       // Each turn after the first starts with its own BOS.
       std::string sys = first && !system.empty()
                             ? "<<SYS>>\n" + system + "\n<</SYS>>\n\n"
                             : std::string();
       return std::string(first ? "" : "<s>") + "[INST] " + sys + text +
              " [/INST]";
     },
     ""},
    {"zephyr",
     [](const std::string &system) {
       return system.empty() ? std::string()
                             : "<|system|>\n" + system + "</s>\n";
     },
     [](const std::string &text, bool, const std::string &) {
       return "<|user|>\n" + text + "</s>\n<|assistant|>\n";
     },
     "\n"},
};

const ChatFormat *tern::run::findChatFormat(const std::string &name) {
  for (const ChatFormat &f : kChatFormats)
    if (name == f.name)
      return &f;
  return nullptr;
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
    if (tern_detokenize(artifact, ids.data(), ids.size(), &text, &length) !=
        TERN_OK)
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
  if (tern_tokenize(artifact, text.data(), text.size(), 1, &ids, &count) !=
      TERN_OK) {
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
  std::string text, error;
  if (!readWholeFile(path, text, error))
    return fail(error);
  std::vector<int32_t> tokens;
  if (!tokenize(artifact, text, tokens, error))
    return fail(error);
  tern_model_info info;
  tern_artifact_model_info(artifact, &info);
  if (info.bos >= 0)
    tokens.insert(tokens.begin(), int32_t(info.bos));
  double nll = 0;
  size_t predicted = 0;
  for (size_t start = 0; start + 1 < tokens.size();
       start += size_t(info.context)) {
    size_t end = std::min(tokens.size(), start + size_t(info.context));
    Session session;
    std::vector<float> logits;
    if (!session.start(artifact, error) ||
        !session.feed({tokens.begin() + start, tokens.begin() + end}, logits,
                      error))
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

namespace {

/// The sampling options: the command line's, else the artifact's defaults.
SamplerOptions samplingFor(const ModelCommand &cmd,
                           const tern_generation_defaults &defaults) {
  SamplerOptions o = cmd.sampling;
  if (defaults.has_sampling) {
    if (!cmd.setTemperature)
      o.temperature = defaults.temperature;
    if (!cmd.setTopK)
      o.topK = int(defaults.top_k);
    if (!cmd.setTopP)
      o.topP = defaults.top_p;
    if (!cmd.setRepeatPenalty)
      o.repeatPenalty = defaults.repeat_penalty;
  }
  return o;
}

/// How many tokens to generate: -n, else the model's max_new_tokens, else
/// `fallback`.
long tokenBudget(const ModelCommand &cmd, const tern_generation_defaults &d,
                 long fallback) {
  if (cmd.setGenerate)
    return cmd.generate;
  return d.max_new_tokens > 0 ? long(d.max_new_tokens) : fallback;
}

/// Generates up to `budget` tokens after `logits` (the last position's row),
/// streaming text when `streamer` is set. Returns the tokens and, in
/// `stopToken`, the stop token that ended it (-1: budget or context).
struct Generation {
  std::vector<int32_t> tokens;
  int32_t stopToken = -1;
  bool contextFull = false; ///< stopped at the model's context, before -n
  double seconds = 0;
};

bool generate(Session &session, Sampler &sampler, const float *logits,
              long budget, const std::vector<int64_t> &stop, bool ignoreStop,
              std::vector<int32_t> &history, Streamer *streamer,
              Generation &out, std::string &error) {
  const int64_t vocab = session.info().vocab;
  auto start = std::chrono::steady_clock::now();
  int32_t next = sampler.next(logits, vocab, history);
  for (long g = 0; g < budget; ++g) {
    if (!ignoreStop && std::count(stop.begin(), stop.end(), int64_t(next))) {
      out.stopToken = next;
      break;
    }
    out.tokens.push_back(next);
    history.push_back(next);
    if (streamer)
      streamer->push(next);
    if (g + 1 == budget)
      break;
    if (session.position() >= session.info().context) {
      out.contextFull = true;
      break;
    }
    std::vector<float> step;
    if (!session.feed({next}, step, error))
      return false;
    next = sampler.next(step.data(), vocab, history);
  }
  out.seconds = seconds(start, std::chrono::steady_clock::now());
  return true;
}

void printRate(size_t prompt, double prefillSeconds, const Generation &g) {
  size_t decoded = g.tokens.size() > 1 ? g.tokens.size() - 1 : 0;
  std::fprintf(
      stderr,
      "prefill: %zu tokens, %.1f tok/s; decode: %zu tokens, %.1f tok/s\n",
      prompt, prompt / prefillSeconds, decoded,
      decoded ? decoded / g.seconds : 0.0);
}

int printInfo(tern_artifact *artifact, const tern_model_info &info,
              const tern_generation_defaults &d) {
  std::printf("layers %lld, kv heads %lld, head dim %lld, context %lld, "
              "vocab %lld\n",
              (long long)info.layers, (long long)info.kv_heads,
              (long long)info.head_dim, (long long)info.context,
              (long long)info.vocab);
  std::printf("bos %lld, eos %lld, stop tokens:", (long long)info.bos,
              (long long)info.eos);
  for (size_t i = 0; i < d.num_stop_tokens; ++i)
    std::printf("%s%lld", i ? "," : " ", (long long)d.stop_tokens[i]);
  std::printf("\n");
  if (d.has_sampling)
    std::printf("sampling: temperature %g, top-k %lld, top-p %g, repeat "
                "penalty %g, max new tokens %lld\n",
                double(d.temperature), (long long)d.top_k, double(d.top_p),
                double(d.repeat_penalty), (long long)d.max_new_tokens);
  else
    std::printf("sampling: no defaults (greedy)\n");
  std::printf("chat format: %s\n", *d.chat_format ? d.chat_format : "none");
  int32_t *ids = nullptr;
  size_t count = 0;
  std::printf("tokenizer: %s\n",
              tern_tokenize(artifact, "", 0, 0, &ids, &count) == TERN_OK
                  ? "embedded"
                  : "none");
  tern_free(ids);
  return 0;
}

/// A conversation: user lines from stdin, replies streamed to stdout, one KV
/// cache for the whole conversation.
int chat(tern_artifact *artifact, const ModelCommand &cmd,
         const tern_generation_defaults &defaults) {
  std::string formatName =
      !cmd.chatFormat.empty() ? cmd.chatFormat : defaults.chat_format;
  if (formatName.empty())
    return fail("the model records no chat format it was trained with (its "
                "chat_template is missing or not one Tern recognizes); pick "
                "one with --chat-format=llama3|bitnet|chatml|llama2|zephyr");
  const ChatFormat *format = findChatFormat(formatName);
  if (!format)
    return fail("unknown chat format '" + formatName +
                "'; expected llama3, bitnet, chatml, llama2 or zephyr");
  Session session;
  std::string error;
  if (!session.start(artifact, error))
    return fail(error);
  const tern_model_info &info = session.info();
  Sampler sampler(samplingFor(cmd, defaults));
  std::vector<int64_t> stop(defaults.stop_tokens,
                            defaults.stop_tokens + defaults.num_stop_tokens);
  std::vector<int32_t> history;
  std::string pending = format->opening(cmd.system);
  bool first = true;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.empty())
      continue;
    std::string text = pending + format->userTurn(line, first, cmd.system);
    if (cmd.showPrompt)
      std::fprintf(stderr, "[prompt] %s\n", text.c_str());
    std::vector<int32_t> tokens;
    if (first && info.bos >= 0)
      tokens.push_back(int32_t(info.bos));
    std::vector<int32_t> turn;
    if (!tokenize(artifact, text, turn, error))
      return fail(error);
    tokens.insert(tokens.end(), turn.begin(), turn.end());
    std::vector<float> logits;
    auto t0 = std::chrono::steady_clock::now();
    if (!session.feed(tokens, logits, error, /*lastOnly=*/true))
      return fail(error);
    double prefill = seconds(t0, std::chrono::steady_clock::now());
    history.insert(history.end(), tokens.begin(), tokens.end());
    Streamer streamer(artifact);
    Generation reply;
    if (!generate(session, sampler, logits.data() + logits.size() - info.vocab,
                  tokenBudget(cmd, defaults, 512), stop, false, history,
                  &streamer, reply, error))
      return fail(error);
    std::printf("\n");
    std::fflush(stdout);
    printRate(tokens.size(), prefill, reply);
    // The cache holds the reply; it also needs the token that ended it.
    if (reply.stopToken >= 0) {
      std::vector<float> ignored;
      if (!session.feed({reply.stopToken}, ignored, error))
        return fail(error);
      history.push_back(reply.stopToken);
    }
    pending = format->afterReply;
    first = false;
  }
  return 0;
}

} // namespace

int tern::run::runModel(tern_artifact *artifact, const ModelCommand &cmd) {
  tern_generation_defaults defaults;
  if (tern_artifact_generation_defaults(artifact, &defaults) != TERN_OK)
    return fail(tern_last_error());
  if (cmd.info) {
    tern_model_info info;
    tern_artifact_model_info(artifact, &info);
    return printInfo(artifact, info, defaults);
  }
  if (!cmd.perplexityFile.empty())
    return perplexity(artifact, cmd.perplexityFile);
  if (cmd.chat)
    return chat(artifact, cmd, defaults);
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
  // All positions' logits only when they are written out.
  if (!session.feed({prompt.begin(), prompt.begin() + split}, logits, error,
                    /*lastOnly=*/cmd.logitsOut.empty()))
    return fail(error);
  for (size_t i = split; i < prompt.size(); ++i)
    if (!session.feed({prompt[i]}, logits, error))
      return fail(error);
  double prefill = seconds(t0, std::chrono::steady_clock::now());
  if (!cmd.logitsOut.empty()) {
    tern::NpyArray array;
    array.dtype = tern::DType::F32;
    array.shape = {int64_t(prompt.size()), info.vocab};
    const char *bytes = reinterpret_cast<const char *>(logits.data());
    array.data.assign(bytes, bytes + logits.size() * sizeof(float));
    if (!tern::writeNpy(cmd.logitsOut, array, error))
      return fail(error);
  }
  // A text prompt generates by default; token ids only when asked (-n).
  long budget = tokenBudget(cmd, defaults, cmd.havePrompt ? 128 : 0);
  if (budget <= 0)
    return 0;

  Sampler sampler(samplingFor(cmd, defaults));
  std::vector<int64_t> stop(defaults.stop_tokens,
                            defaults.stop_tokens + defaults.num_stop_tokens);
  if (stop.empty() && info.eos >= 0)
    stop.push_back(info.eos);
  std::vector<int32_t> history = prompt;
  Streamer streamer(artifact);
  bool text = cmd.havePrompt;
  if (text)
    std::fwrite(cmd.prompt.data(), 1, cmd.prompt.size(), stdout);
  Generation g;
  if (!generate(session, sampler, logits.data() + logits.size() - info.vocab,
                budget, stop, cmd.ignoreEos, history,
                text ? &streamer : nullptr, g, error))
    return fail(error);
  if (text) {
    std::printf("\n");
  } else {
    std::printf("generated:");
    for (size_t i = 0; i < g.tokens.size(); ++i)
      std::printf("%s%d", i ? "," : " ", g.tokens[i]);
    std::printf("\n");
  }
  std::fflush(stdout);
  if (g.contextFull)
    std::fprintf(stderr,
                 "tern-run: note: stopped after %zu tokens: the sequence "
                 "filled the model's context of %lld tokens (compile with "
                 "--max-context for more)\n",
                 g.tokens.size(), (long long)info.context);
  printRate(prompt.size(), prefill, g);
  return 0;
}
