//===- Model.h - Running compiled language models ---------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// A session over a language-model artifact: it owns the KV caches and the
// position, and feeds tokens through prefill (several) or decode (one).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TOOLS_TERN_RUN_MODEL_H
#define TERN_TOOLS_TERN_RUN_MODEL_H

#include "Sampler.h"
#include "tern-c/runtime.h"

#include <string>
#include <vector>

namespace tern::run {

class Session {
public:
  /// Creates the caches; on failure returns false with `error` set.
  bool start(tern_artifact *artifact, std::string &error);
  ~Session();

  /// Runs `tokens` at the current position; appends their logits (one row of
  /// vocab floats per token) to `logits`.
  bool feed(const std::vector<int32_t> &tokens, std::vector<float> &logits,
            std::string &error);

  const tern_model_info &info() const { return model; }
  int64_t position() const { return pos; }

private:
  tern_artifact *artifact = nullptr;
  tern_model_info model{};
  tern_tensor *keyCache = nullptr, *valueCache = nullptr;
  int64_t pos = 0;
};

/// Index of the largest logit of row `row`.
int32_t argmax(const std::vector<float> &logits, int64_t vocab, size_t row);

/// What tern-run was asked to do with a language model.
struct ModelCommand {
  bool haveTokens = false;
  std::vector<int32_t> tokens; ///< --tokens
  std::string prompt;          ///< --prompt
  bool havePrompt = false;
  std::string logitsOut;       ///< --logits-out path ("" = none)
  long decodeFrom = -1;        ///< --decode-from
  long generate = 0;           ///< -n
  bool ignoreEos = false;      ///< --ignore-eos: generate all -n tokens
  bool printTokens = false;    ///< --print-tokens: show the prompt's ids
  std::string perplexityFile;  ///< --perplexity
  SamplerOptions sampling;
};

/// Runs `command`; returns the process exit code (errors are printed).
int runModel(tern_artifact *artifact, const ModelCommand &command);

} // namespace tern::run

#endif // TERN_TOOLS_TERN_RUN_MODEL_H
