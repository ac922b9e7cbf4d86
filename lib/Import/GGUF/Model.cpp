//===- Model.cpp - GGUF language models as checkpoints --------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Key and tensor names: ggml's docs/gguf.md and llama.cpp's llama-arch.cpp
// (LLM_KV_* and LLM_TENSOR_* names), facts only.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/GGUF/Model.h"
#include "tern/Import/GGUF/Blocks.h"
#include "tern/Import/GGUF/Gguf.h"
#include "tern/Import/GGUF/Tokenizer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"

#include <cmath>

using namespace mlir::tern;
using namespace mlir::tern::gguf;
namespace json = llvm::json;

bool mlir::tern::gguf::isGgufFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, 4, 0,
                                                 /*IsVolatile=*/false);
  return buffer && (*buffer)->getBuffer() == "GGUF";
}

namespace {

constexpr llvm::StringLiteral kArchitectures[] = {
    "llama", "bitnet", "bitnet-b1.58", "bitnet-25", "qwen3"};

/// llama.cpp's per-layer tensor names and the Hugging Face names the
/// importer reads them by.
struct LayerTensor {
  llvm::StringLiteral gguf, hf;
};
constexpr LayerTensor kLayerTensors[] = {
    {"attn_norm.weight", "input_layernorm.weight"},
    {"attn_q.weight", "self_attn.q_proj.weight"},
    {"attn_k.weight", "self_attn.k_proj.weight"},
    {"attn_v.weight", "self_attn.v_proj.weight"},
    {"attn_output.weight", "self_attn.o_proj.weight"},
    {"ffn_norm.weight", "post_attention_layernorm.weight"},
    {"ffn_gate.weight", "mlp.gate_proj.weight"},
    {"ffn_up.weight", "mlp.up_proj.weight"},
    {"ffn_down.weight", "mlp.down_proj.weight"},
    {"attn_sub_norm.weight", "self_attn.attn_sub_norm.weight"},
    {"ffn_sub_norm.weight", "mlp.ffn_sub_norm.weight"},
    {"attn_q_norm.weight", "self_attn.q_norm.weight"},
    {"attn_k_norm.weight", "self_attn.k_norm.weight"},
    // llama.cpp's bitnet: 1-element scales multiplying a linear's output.
    {"attn_q.scale", "self_attn.q_proj.output_scale"},
    {"attn_k.scale", "self_attn.k_proj.output_scale"},
    {"attn_v.scale", "self_attn.v_proj.output_scale"},
    {"attn_output.scale", "self_attn.o_proj.output_scale"},
    {"ffn_gate.scale", "mlp.gate_proj.output_scale"},
    {"ffn_up.scale", "mlp.up_proj.output_scale"},
    {"ffn_down.scale", "mlp.down_proj.output_scale"},
};

/// The Hugging Face name of a GGUF tensor, or "" for one Tern does not use.
std::string hfName(llvm::StringRef name) {
  if (name == "token_embd.weight")
    return "model.embed_tokens.weight";
  if (name == "output_norm.weight")
    return "model.norm.weight";
  if (name == "output.weight")
    return "lm_head.weight";
  if (!name.consume_front("blk."))
    return "";
  auto [index, rest] = name.split('.');
  unsigned layer;
  if (index.getAsInteger(10, layer))
    return "";
  for (const LayerTensor &t : kLayerTensors)
    if (rest == t.gguf)
      return ("model.layers." + index + "." + t.hf).str();
  return "";
}

/// The GGUF name of a Hugging Face tensor name hfName() gives.
std::string ggufName(llvm::StringRef name) {
  if (name == "model.embed_tokens.weight")
    return "token_embd.weight";
  if (name == "model.norm.weight")
    return "output_norm.weight";
  if (name == "lm_head.weight")
    return "output.weight";
  if (!name.consume_front("model.layers."))
    return name.str();
  auto [index, rest] = name.split('.');
  for (const LayerTensor &t : kLayerTensors)
    if (rest == t.hf)
      return ("blk." + index + "." + t.gguf).str();
  return name.str();
}

/// Sets `t`'s dtype (and block type) for a ggml type Tern reads; false for
/// another.
bool storedAs(uint32_t type, hf::Tensor &t) {
  switch (type) {
  case uint32_t(TensorType::F32):
    t.dtype = hf::Dtype::F32;
    return true;
  case uint32_t(TensorType::F16):
    t.dtype = hf::Dtype::F16;
    return true;
  case uint32_t(TensorType::BF16):
    t.dtype = hf::Dtype::BF16;
    return true;
  case uint32_t(TensorType::Q8_0):
  case uint32_t(TensorType::TQ1_0):
  case uint32_t(TensorType::TQ2_0):
  case uint32_t(TensorType::I2_S):
  case uint32_t(TensorType::Q1_0):
    t.dtype = hf::Dtype::Blocks;
    t.blockType = type;
    return true;
  default:
    return false;
  }
}

} // namespace

bool mlir::tern::gguf::openModel(const std::string &path, GgufModel &model,
                                 std::string &error) {
  std::shared_ptr<GgufFile> file = GgufFile::open(path, error);
  if (!file)
    return false;
  std::vector<std::string> problems;
  auto problem = [&](const llvm::Twine &message) {
    problems.push_back(path + ": " + message.str());
  };

  const Value *archValue = file->find("general.architecture");
  std::string arch = archValue && archValue->type == ValueType::String
                         ? archValue->string
                         : "";
  if (!llvm::is_contained(kArchitectures, arch)) {
    error = path + ": " +
            (archValue ? "unsupported architecture '" + arch + "'"
                       : std::string("no general.architecture")) +
            "; Tern imports GGUF models of the architectures " +
            llvm::join(llvm::map_range(kArchitectures,
                                       [](llvm::StringRef a) { return a.str(); }),
                       ", ");
    return false;
  }

  json::Object config;
  config["gguf.architecture"] = arch;
  auto integer = [&](llvm::StringRef suffix, llvm::StringRef hfKey,
                     std::optional<int64_t> fallback) {
    std::string key = arch + "." + suffix.str();
    const Value *v = file->find(key);
    std::optional<int64_t> n = v ? v->asInteger() : std::nullopt;
    if (v && (!n || *n <= 0)) {
      problem("'" + key + "' must be a positive integer");
      return;
    }
    if (!n && !fallback) {
      problem("missing '" + key + "'");
      return;
    }
    config[hfKey] = n ? *n : *fallback;
  };
  auto number = [&](llvm::StringRef suffix, llvm::StringRef hfKey,
                    double fallback) {
    std::string key = arch + "." + suffix.str();
    const Value *v = file->find(key);
    std::optional<double> x = v ? v->asFloat() : std::nullopt;
    if (v && (!x || !std::isfinite(*x) || *x < 0)) {
      problem("'" + key + "' must be a non-negative number");
      return;
    }
    config[hfKey] = x ? *x : fallback;
  };
  integer("block_count", "num_hidden_layers", std::nullopt);
  integer("embedding_length", "hidden_size", std::nullopt);
  integer("feed_forward_length", "intermediate_size", std::nullopt);
  integer("attention.head_count", "num_attention_heads", std::nullopt);
  if (const std::optional<int64_t> heads =
          config.getInteger("num_attention_heads"))
    integer("attention.head_count_kv", "num_key_value_heads", *heads);
  integer("context_length", "max_position_embeddings", 2048);
  number("rope.freq_base", "rope_theta", 10000.0);
  number("attention.layer_norm_rms_epsilon", "rms_norm_eps", 1e-5);
  // The head size: key_length, or hidden / heads; values the same size, and
  // RoPE over the whole head, are all Tern runs.
  auto keyOf = [&](llvm::StringRef suffix) -> std::optional<int64_t> {
    const Value *v = file->find(arch + "." + suffix.str());
    return v ? v->asInteger() : std::nullopt;
  };
  std::optional<int64_t> keyLength = keyOf("attention.key_length");
  std::optional<int64_t> valueLength = keyOf("attention.value_length");
  std::optional<int64_t> ropeDims = keyOf("rope.dimension_count");
  if (keyLength)
    config["head_dim"] = *keyLength;
  std::optional<int64_t> hidden = config.getInteger("hidden_size");
  std::optional<int64_t> heads = config.getInteger("num_attention_heads");
  int64_t headDim = keyLength ? *keyLength
                    : hidden && heads && *heads > 0 ? *hidden / *heads
                                                     : 0;
  if (valueLength && *valueLength != headDim)
    problem("attention.value_length (" + llvm::Twine(*valueLength) +
            ") differs from the key length (" + llvm::Twine(headDim) +
            "); Tern runs heads with keys and values of one size");
  if (ropeDims && *ropeDims != headDim)
    problem("rope.dimension_count (" + llvm::Twine(*ropeDims) +
            ") is not the head size (" + llvm::Twine(headDim) +
            "); partial RoPE is not supported");
  if (const Value *scaling = file->find(arch + ".rope.scaling.type"))
    if (scaling->type != ValueType::String ||
        (scaling->string != "none" &&
         !(scaling->string == "linear" &&
           file->find(arch + ".rope.scaling.factor") &&
           file->find(arch + ".rope.scaling.factor")->asFloat() == 1.0)))
      problem("rope.scaling.type '" + scaling->string +
              "' is not supported (none, or linear with factor 1)");

  // Tensors, by their Hugging Face names.
  std::vector<hf::Tensor> tensors;
  std::vector<std::string> unused, unsupported;
  bool hasOutput = false;
  for (const TensorInfo &info : file->tensors()) {
    std::string name = hfName(info.name);
    if (name.empty()) {
      unused.push_back(info.name);
      continue;
    }
    hf::Tensor t;
    t.name = name;
    t.file = path;
    t.data = info.data;
    t.shape.assign(info.ne.rbegin(), info.ne.rend());
    if (!storedAs(info.type, t)) {
      unsupported.push_back(info.name + " (" + typeName(info.type) + ")");
      continue;
    }
    hasOutput |= info.name == "output.weight";
    tensors.push_back(std::move(t));
  }
  if (!unsupported.empty())
    problem("tensor types Tern does not read (it reads F32, F16, BF16, Q8_0, "
            "TQ1_0, TQ2_0, I2_S and Q1_0): " +
            llvm::join(unsupported, ", "));
  if (!unused.empty())
    problem("tensors the " + arch + " graph does not use: " +
            llvm::join(unused, ", "));
  config["tie_word_embeddings"] = !hasOutput;
  if (const TensorInfo *embedding = file->findTensor("token_embd.weight"))
    if (embedding->ne.size() == 2)
      config["vocab_size"] = embedding->ne[1];

  // The vocabulary and its special tokens.
  if (file->find("tokenizer.ggml.model")) {
    model.tokenizer.emplace();
    std::string tokenizerError;
    if (!readTokenizer(*file, *model.tokenizer, tokenizerError))
      problems.push_back(tokenizerError);
  }
  if (const Value *chat = file->find("tokenizer.chat_template")) {
    if (chat->type == ValueType::String)
      model.chatTemplate = chat->string;
    else
      problem("'tokenizer.chat_template' must be a string");
  }
  for (auto [key, hfKey] : {std::pair{"tokenizer.ggml.bos_token_id",
                                      "bos_token_id"},
                            {"tokenizer.ggml.eos_token_id", "eos_token_id"}})
    if (const Value *v = file->find(key))
      if (std::optional<int64_t> id = v->asInteger())
        config[hfKey] = *id;

  if (!problems.empty()) {
    error = llvm::join(problems, "\n");
    return false;
  }
  model.checkpoint = hf::Checkpoint::fromTensors(
      path, std::move(config), std::move(tensors), std::move(file), ggufName);
  return true;
}
