//===- Import.h - Hugging Face BitNet checkpoints to tern IR ----*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Builds the decoder of a Hugging Face ternary checkpoint as tern IR with two
// entry points sharing the weights:
//
//   prefill(tokens: tensor<?xi32>, position: tensor<i64>,
//           key_cache, value_cache: tensor<L x KVH x S x D x f32>)
//       -> logits: tensor<? x vocab x f32>
//   decode(token: tensor<1xi32>, ...) -> tensor<1 x vocab x f32>
//
// The caches are the caller's state: each call writes its tokens' keys and
// values at `position` in place. Each entry point calls one private layer
// function per layer with that layer's weights and index, so a model's
// layers are compiled once, not once per layer. Weights stay in the memory-mapped
// safetensors files (resource blobs over them) except packed ternary ones,
// which are re-packed row by row straight into the target's layout.
//
// Architectures: BitNetForCausalLM (bitnet-b1.58-2B-4T), BitnetForCausalLM
// (1bitLLM, float weights ternarized at compile time), LlamaForCausalLM with
// quantization_config.quant_method "bitnet" (Falcon3-1.58bit).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_IMPORT_HF_IMPORT_H
#define TERN_IMPORT_HF_IMPORT_H

#include "tern/Import/HF/Checkpoint.h"
#include "tern/Support/Artifact.h"
#include "tern/Support/Packing.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <functional>
#include <optional>
#include <string>

namespace mlir::tern::hf {

struct ImportOptions {
  /// Layout packed ternary weights are stored in (the target's choice).
  ::tern::Layout layout{::tern::Encoding::I8, 1, ::tern::BitOrder::Lsb};
  /// Layout of binary (1-bit) weights (GGUF Q1_0).
  ::tern::Layout binaryLayout{::tern::Encoding::I1, 8, ::tern::BitOrder::Lsb};
  /// When set, chooses the layout of each [n, k] weight matrix instead
  /// (ternc --autotune); nullopt means it failed and said why in `error`.
  std::function<std::optional<::tern::Layout>(int64_t n, int64_t k,
                                              std::string &error)>
      chooseLayout;
  /// KV-cache capacity in tokens; 0: the config's max_position_embeddings,
  /// capped at 4096.
  int64_t maxContext = 0;
  /// Quantize the output head to int8 with one f32 scale per row (absmax /
  /// 127, round half to even) instead of keeping the checkpoint's precision.
  bool headInt8 = false;
  /// A dense baseline instead of the ternary model: each layer's weights are
  /// dequantized (ternary value x scale) at compile time, stored in f32 or
  /// bf16 and run as float matmuls without activation quantization. Same
  /// architecture and shapes, for speed and memory comparisons; its logits
  /// are not the ternary model's.
  enum class Dense { None, F32, BF16 } dense = Dense::None;
};

/// What the runtime needs to drive the model, recorded in the artifact; the
/// importer fills the shape, bos and eos.
using ModelInfo = ::tern::ModelMetadata;

/// Imports `checkpoint`; on failure returns null with every problem found
/// (missing tensors, wrong shapes, unsupported architecture...) in `error`.
OwningOpRef<ModuleOp> importCheckpoint(MLIRContext *context,
                                       const Checkpoint &checkpoint,
                                       const ImportOptions &options,
                                       ModelInfo &info, std::string &error);

} // namespace mlir::tern::hf

#endif // TERN_IMPORT_HF_IMPORT_H
