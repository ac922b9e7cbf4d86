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
  /// vocab floats per token, or only the last token's with `lastOnly`) to
  /// `logits`.
  bool feed(const std::vector<int32_t> &tokens, std::vector<float> &logits,
            std::string &error, bool lastOnly = false);

  const tern_model_info &info() const { return model; }
  int64_t position() const { return pos; }

private:
  tern_artifact *artifact = nullptr;
  tern_model_info model{};
  tern_tensor *keyCache = nullptr, *valueCache = nullptr;
  int64_t pos = 0;
  bool hasPrefillLast = false; ///< artifacts before it have prefill only
};

/// The whole of the file at `path` in `out`; false with "PATH: cannot open:
/// REASON" in `error`.
bool readWholeFile(const std::string &path, std::string &out,
                   std::string &error);

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
  /// Which sampling options the command line set; the others come from the
  /// artifact's generation defaults.
  bool setTemperature = false, setTopK = false, setTopP = false,
       setRepeatPenalty = false, setGenerate = false;
  bool chat = false;           ///< --chat: a conversation on stdin
  std::string chatFormat;      ///< --chat-format (default: the artifact's)
  std::string system;          ///< --system: the chat's system prompt
  bool showPrompt = false;     ///< --show-prompt: print rendered chat turns
  bool info = false;           ///< --info: print the model's records
};

/// The text of a conversation in one chat format, turn by turn, so a session
/// feeds each turn once and keeps its KV cache across turns.
struct ChatFormat {
  const char *name;
  /// Text after BOS that opens the conversation (the system prompt).
  std::string (*opening)(const std::string &system);
  /// A user turn and the header that starts the assistant's reply.
  std::string (*userTurn)(const std::string &text, bool first,
                          const std::string &system);
  /// Text after the token that ended the assistant's reply.
  const char *afterReply;
};

/// The format called `name`, or null.
const ChatFormat *findChatFormat(const std::string &name);

/// Runs `command`; returns the process exit code (errors are printed).
int runModel(tern_artifact *artifact, const ModelCommand &command);

} // namespace tern::run

#endif // TERN_TOOLS_TERN_RUN_MODEL_H
