//===- Tokenizer.h - A GGUF file's vocabulary --------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The tokenizer of a GGUF model from its tokenizer.ggml.* metadata, as the
// TokenizerData that Hugging Face checkpoints' tokenizer.json also becomes
// (so both run through the same tokenizer at run time):
//
//   tokenizer.ggml.model       "gpt2": byte-level BPE; "llama": SentencePiece
//   tokenizer.ggml.tokens      the vocabulary (byte-level characters, or
//                              SentencePiece pieces with U+2581 for spaces)
//   tokenizer.ggml.token_type  2 (unknown), 3 (control) and 4 (user-defined)
//                              tokens are matched as special tokens; 6
//                              (byte) tokens are <0xNN> byte-fallback pieces
//   tokenizer.ggml.bos_token_id, eos_token_id   checked to name tokens
//
// gpt2 only:
//   tokenizer.ggml.pre         the pre-tokenizer: "default", "gpt-2" / "gpt2"
//                              (GPT-2's split), "llama3" / "llama-bpe" /
//                              "llama-v3" (Llama 3's)
//   tokenizer.ggml.merges      "left right" pairs in rank order
//
// llama only (llama.cpp's SentencePiece BPE tokenizer, llm_tokenizer_spm):
//   tokenizer.ggml.scores      float32 per token: the pair whose
//                              concatenation scores highest merges first;
//                              becomes merges with shared ranks
//   tokenizer.ggml.add_space_prefix  bool, default true: U+2581 before each
//                              text segment, one leading space dropped when
//                              decoding
//   tokenizer.ggml.unknown_token_id  default: the unknown-type token
//
// Other models and pre-tokenizers are rejected with an error naming the
// value.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_GGUF_TOKENIZER_H
#define TERN_IMPORT_GGUF_TOKENIZER_H

#include "tern/Import/GGUF/Gguf.h"
#include "tern/Support/Tokenizer.h"

#include <string>

namespace mlir::tern::gguf {

/// Fills `out` from `file`'s metadata; false with `error` naming the file and
/// key when the vocabulary is missing, malformed or of a kind not read.
bool readTokenizer(const GgufFile &file, ::tern::TokenizerData &out,
                   std::string &error);

} // namespace mlir::tern::gguf

#endif // TERN_IMPORT_GGUF_TOKENIZER_H
