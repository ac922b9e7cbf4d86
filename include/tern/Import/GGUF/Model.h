//===- Model.h - GGUF language models as checkpoints ------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Presents a GGUF model file to the model importer (Import/HF/Import.h) as a
// checkpoint: llama.cpp's tensor names become Hugging Face's
// (blk.N.attn_q.weight -> model.layers.N.self_attn.q_proj.weight), matrices
// get their [rows, cols] shape back from ggml's reversed dims, and the
// hyper-parameters under general.architecture become config keys, with
// "gguf.architecture" naming the graph. Tensor data stays in the mapped file;
// block-quantized tensors are Dtype::Blocks, decoded by the importer.
//
// Architectures (../shared/FORMATS.md): llama, bitnet (llama.cpp's 1bitLLM
// graph: sub-norms, SiLU), bitnet-b1.58 and bitnet-25 (bitnet.cpp's 2B4T
// graph: sub-norms, squared ReLU), qwen3 (q/k norms). Every problem found
// (unknown architecture, missing keys, unexpected tensors, unsupported
// types) is reported at once, naming the file and the key or tensor.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_GGUF_MODEL_H
#define TERN_IMPORT_GGUF_MODEL_H

#include "tern/Import/HF/Checkpoint.h"
#include "tern/Support/Tokenizer.h"

#include <memory>
#include <optional>
#include <string>

namespace mlir::tern::gguf {

struct GgufModel {
  std::unique_ptr<hf::Checkpoint> checkpoint;
  /// The vocabulary, when the file has one (tokenizer.ggml.*).
  std::optional<::tern::TokenizerData> tokenizer;
  /// tokenizer.chat_template (Jinja), or "".
  std::string chatTemplate;
};

/// Whether `path` starts with the GGUF magic.
bool isGgufFile(const std::string &path);

/// Opens the GGUF model at `path`; on failure returns false with every
/// problem in `error`.
bool openModel(const std::string &path, GgufModel &model, std::string &error);

} // namespace mlir::tern::gguf

#endif // TERN_IMPORT_GGUF_MODEL_H
