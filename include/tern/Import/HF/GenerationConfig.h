//===- GenerationConfig.h - Generation defaults of a checkpoint -*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// What a checkpoint says about generating text, beyond the network: the
// sampling defaults of generation_config.json, the tokens that end
// generation (config.json / generation_config.json eos_token_id, int or
// list; tokenizer_config.json eos_token; the chat format's end-of-turn
// token), and the chat format its tokenizer_config.json chat_template
// follows. Tern does not evaluate Jinja: it recognizes the common formats by
// their markers and records the name; tern-run renders them.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_HF_GENERATIONCONFIG_H
#define TERN_IMPORT_HF_GENERATIONCONFIG_H

#include "tern/Import/HF/Checkpoint.h"
#include "tern/Support/Artifact.h"
#include "tern/Support/Tokenizer.h"

#include <string>

namespace mlir::tern::hf {

/// The chat format a Jinja chat template follows: "llama3", "chatml",
/// "llama2", "zephyr", "bitnet", or "" when none is recognized.
std::string detectChatFormat(llvm::StringRef chatTemplate);

/// Records the chat format `chatTemplate` follows in `model`, and its
/// end-of-turn token as a stop token when `tokenizer` (may be null) has it:
/// what a GGUF file's tokenizer.chat_template gives.
void applyChatTemplate(llvm::StringRef chatTemplate,
                       const ::tern::TokenizerData *tokenizer,
                       ::tern::ModelMetadata &model);

/// Fills `model`'s stop tokens, sampling defaults and chat format from the
/// checkpoint's optional JSON files; `tokenizer` (may be null) resolves token
/// strings to ids. Malformed files are errors naming the file and key.
bool readGenerationConfig(const Checkpoint &checkpoint,
                          const ::tern::TokenizerData *tokenizer,
                          ::tern::ModelMetadata &model, std::string &error);
/// The same for the files in `directory` beside a model of another format
/// (an ONNX model exported with its config.json and tokenizer files).
bool readGenerationConfig(llvm::StringRef directory,
                          const llvm::json::Object &config,
                          const ::tern::TokenizerData *tokenizer,
                          ::tern::ModelMetadata &model, std::string &error);

} // namespace mlir::tern::hf

#endif // TERN_IMPORT_HF_GENERATIONCONFIG_H
