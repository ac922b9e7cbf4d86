//===- Artifact.h - The Tern artifact format --------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// What ternc writes and the runtime reads, shared by both (no MLIR/LLVM).
//
// An artifact is a shared library with these symbols:
//   __tern_metadata        NUL-terminated text header (format below)
//   __tern_weights         the weights blob, when embedded (64-byte aligned)
//   __tern_parallel_for    a function pointer the runtime sets to its pool
//   __tern_error           an i32 the generated code sets to a RuntimeError
//                          when an input is out of range (the runtime reads
//                          and clears it after each call)
//   __tern_tokenizer       (language models) the tokenizer, see Tokenizer.h
//   __tern_entry_<name>    void(void **args) per entry point: args[0] points
//                          at the result descriptors (if any), args[1] at the
//                          weights descriptor, args[2 ..] at the inputs'.
// External weights sit in a sidecar file next to the library.
//
// A CUDA artifact (header record `gpu cuda <arch>`) is the same library
// whose entry points run on the host and launch kernels from a PTX module;
// its descriptors' pointers (weights, inputs, results) are device memory.
// It also has (docs/cuda-runtime.md):
//   __tern_ptx             8-byte little-endian length, then the PTX text; the
//                          length counts a terminating NUL, which is stored
//   __tern_gpu_kernels     8-byte little-endian length, then the kernel names
//                          in kernel-index order, each NUL-terminated
//   __tern_gpu_functions   void *[kernels], zero; the runtime stores kernel
//                          i's CUfunction in slot i
//   __tern_gpu_launch      void *: the runtime stores
//                          void launch(void *function, int64_t gridX, gridY,
//                          gridZ, blockX, blockY, blockZ, sharedBytes,
//                          void **params) (cuLaunchKernel's kernelParams)
//   __tern_gpu_alloc       void *: void *alloc(int64_t bytes), device memory
//                          aligned to 256 bytes, never null
//   __tern_gpu_free        void *: void free(void *devicePointer)
// and the PTX module defines `.global .align 4 .u32 __tern_error`, which
// kernels set to a RuntimeError (read and cleared after each call).
//
// Header, one record a line, fields separated by single spaces:
//   tern-artifact <format version>
//   target <triple> <cpu>
//   features <comma-separated CPU features the code needs, or ->
//   gpu cuda <arch>                     (optional: a CUDA artifact; <arch> is
//                                        sm_<digits>, e.g. sm_90)
//   weights embedded <bytes> <hash>  |  weights external <file> <bytes> <hash>
//   model <architecture> <layers> <kv heads> <head dim> <context> <vocab>
//         <bos> <eos>                   (language models only; -1: none)
//   stop <id>...                        (optional: every end-of-generation id)
//   generation <temperature> <top_k> <top_p> <repeat_penalty>
//              <max_new_tokens>         (optional: the checkpoint's defaults)
//   chat <format>                       (optional: llama3, chatml, llama2,
//                                        zephyr or bitnet)
//   function <name> <inputs> <results>
//   input <dtype> <rank> <dims...>      (one line per input; -1 = dynamic)
//   result <dtype> <rank> <dims...>
//   end
// <hash> is hashWeights() of the blob, 16 lower-case hex digits.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_SUPPORT_ARTIFACT_H
#define TERN_SUPPORT_ARTIFACT_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tern {

inline constexpr int kArtifactFormatVersion = 1;
inline constexpr const char *kMetadataSymbol = "__tern_metadata";
inline constexpr const char *kWeightsSymbol = "__tern_weights";
inline constexpr const char *kParallelForSymbol = "__tern_parallel_for";
inline constexpr const char *kEntryPrefix = "__tern_entry_";
inline constexpr const char *kErrorSymbol = "__tern_error";
/// Optional: the serialized TokenizerData after an 8-byte length.
inline constexpr const char *kTokenizerSymbol = "__tern_tokenizer";
/// CUDA artifacts only (see the file comment).
inline constexpr const char *kGpuPtxSymbol = "__tern_ptx";
inline constexpr const char *kGpuKernelsSymbol = "__tern_gpu_kernels";
inline constexpr const char *kGpuFunctionsSymbol = "__tern_gpu_functions";
inline constexpr const char *kGpuLaunchSymbol = "__tern_gpu_launch";
inline constexpr const char *kGpuAllocSymbol = "__tern_gpu_alloc";
inline constexpr const char *kGpuFreeSymbol = "__tern_gpu_free";
/// The device-side error word, a global of the PTX module.
inline constexpr const char *kGpuErrorSymbol = "__tern_error";
/// The GPU kind of a `gpu` record; the only one so far.
inline constexpr const char *kGpuKindCuda = "cuda";

/// Errors generated code reports through __tern_error.
enum class RuntimeError : int32_t {
  None = 0,
  /// tern.attention: the new tokens do not fit the KV cache at the position.
  PositionOutOfRange = 1,
};

/// Element types of entry-point tensors.
enum class DType : uint8_t { F32, F16, BF16, F64, I8, I16, I32, I64, U8, Bool };

const char *toString(DType dtype);
bool parseDType(const std::string &text, DType &out);
size_t dtypeBytes(DType dtype);

struct TensorSignature {
  DType dtype = DType::F32;
  std::vector<int64_t> shape; ///< -1 for a dynamic dimension
};

struct FunctionSignature {
  std::string name;
  std::vector<TensorSignature> inputs, results;
};

/// A language model's shape, for runtimes that drive prefill/decode.
struct ModelMetadata {
  std::string architecture; ///< empty: not a language model
  int64_t layers = 0, kvHeads = 0, headDim = 0, context = 0, vocab = 0;
  int64_t bos = -1, eos = -1;
  /// Tokens that end generation (eos first, then end-of-turn tokens...).
  std::vector<int64_t> stop;
  /// Sampling defaults from generation_config.json (temperature 0: greedy).
  bool hasGeneration = false;
  float temperature = 0, topP = 1, repeatPenalty = 1;
  int64_t topK = 0, maxNewTokens = 0; ///< 0: no limit of their own
  /// The chat template's format, recognized at compile time ("" = none).
  std::string chatFormat;
  /// Multiply-accumulates per token in the decoder layers' matmuls (the
  /// compute a prompt token costs); 0 when not recorded.
  int64_t layerMacs = 0;
};

struct ArtifactMetadata {
  int version = kArtifactFormatVersion;
  std::string triple, cpu;
  std::vector<std::string> features;
  /// The CUDA architecture a GPU artifact is built for ("sm_90"); empty for
  /// a CPU artifact.
  std::string gpuArch;
  bool weightsExternal = false;
  std::string weightsFile; ///< file name, relative to the artifact
  uint64_t weightsBytes = 0;
  uint64_t weightsHash = 0;
  std::vector<FunctionSignature> functions;
  ModelMetadata model;

  std::string serialize() const;
  /// Parses a header; on failure returns false with a message in `error`.
  static bool parse(const std::string &text, ArtifactMetadata &out,
                    std::string &error);
};

/// The weights checksum: 64-bit FNV-1a over 8-byte little-endian words, then
/// the tail bytes, then the length.
uint64_t hashWeights(const void *data, size_t size);

/// Whether an artifact's ELF headers are sound before dlopen maps the file:
/// a 64-bit ELF for this machine's architecture whose program and section
/// headers and segments lie inside its `size` bytes (`read` reads `bytes`
/// at `offset`); false with the reason in `error`.
bool checkElfImage(const std::function<bool(void *, size_t, uint64_t)> &read,
                   uint64_t size, std::string &error);

} // namespace tern

#endif // TERN_SUPPORT_ARTIFACT_H
