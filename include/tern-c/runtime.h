/*===- tern-c/runtime.h - The Tern runtime C API ------------------*- C -*-===*\
|*                                                                            *|
|* Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit  *|
|* LLMs.                                                                      *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Loads artifacts built by ternc and runs their entry points on tensors.     *|
|* Every function that can fail returns a tern_status; on failure            *|
|* tern_last_error() describes what went wrong (per thread). The runtime     *|
|* never aborts on bad input and has no MLIR or LLVM dependency.              *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
#ifndef TERN_C_RUNTIME_H
#define TERN_C_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#if defined(TERN_RUNTIME_BUILD)
#define TERN_API __attribute__((visibility("default")))
#else
#define TERN_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tern_status {
  TERN_OK = 0,
  TERN_ERROR_IO = 1,               /* a file cannot be opened or read */
  TERN_ERROR_INVALID_ARTIFACT = 2, /* not an artifact, or a damaged one */
  TERN_ERROR_VERSION = 3,          /* built for another format version */
  TERN_ERROR_CPU_FEATURES = 4,     /* needs CPU features this host lacks */
  TERN_ERROR_WEIGHTS = 5,          /* weights missing, truncated, corrupt */
  TERN_ERROR_NOT_FOUND = 6,        /* no such entry point */
  TERN_ERROR_INVALID_ARGUMENT = 7, /* wrong count, dtype or shape, or null */
  TERN_ERROR_OUT_OF_MEMORY = 8,
  TERN_ERROR_DEVICE = 9            /* no GPU driver or device, or it failed */
} tern_status;

/* Element types; the order matches the artifact header's names. */
typedef enum tern_dtype {
  TERN_F32 = 0,
  TERN_F16 = 1,
  TERN_BF16 = 2,
  TERN_F64 = 3,
  TERN_I8 = 4,
  TERN_I16 = 5,
  TERN_I32 = 6,
  TERN_I64 = 7,
  TERN_U8 = 8,
  TERN_BOOL = 9 /* one byte, 0 or 1 */
} tern_dtype;

typedef struct tern_artifact tern_artifact;
typedef struct tern_tensor tern_tensor;

/* The message of the last failure on this thread ("" if none). */
TERN_API const char *tern_last_error(void);

/* Loading: checks the header, the CPU features and the weights checksum.
 * A CUDA artifact (docs/cuda-runtime.md) also needs the CUDA driver and a
 * GPU of its architecture (TERN_ERROR_DEVICE when not; $TERN_CUDA_DEVICE
 * picks the GPU, default 0): its PTX is loaded and its weights uploaded.
 * External weights (ARTIFACT.weights) are read into anonymous memory advised
 * for transparent huge pages, which decode streams much faster than 4 KiB
 * file pages; with the environment variable TERN_WEIGHTS_MMAP set (or when
 * that memory cannot be had) the file is memory-mapped instead, sharing the
 * page cache between processes. */
TERN_API tern_status tern_artifact_load(const char *path, tern_artifact **out);
TERN_API void tern_artifact_free(tern_artifact *artifact);

/* The NVIDIA GPUs the CUDA driver reports, as text, one line each:
 * "<ordinal>: <name>, sm_<major><minor>, <memory> GiB". The driver is opened
 * on first use (libcuda.so.1, or the library $TERN_CUDA_DRIVER names); no
 * CUDA library is linked. TERN_ERROR_DEVICE, with the reason in
 * tern_last_error(), when there is no driver, it lacks an entry point, it
 * does not initialize, or it reports no GPU. The text stays valid until the
 * next call on this thread. */
TERN_API tern_status tern_cuda_devices(const char **text);

/* The GPU the runtime runs CUDA artifacts on ($TERN_CUDA_DEVICE, default
 * 0), measured: the device-to-device copy bandwidth in GB/s (bytes read
 * plus bytes written per second, best of several 256 MiB copies: the
 * roofline a kernel streaming weights is measured against), and the device
 * memory in use now (all processes, as the driver reports it). */
TERN_API tern_status tern_cuda_copy_bandwidth(double *gigabytes_per_second);
TERN_API tern_status tern_cuda_memory_used(uint64_t *bytes);

/* The GPU architecture a CUDA artifact is built for ("sm_90"), or NULL for
 * a CPU artifact. */
TERN_API const char *tern_artifact_gpu_arch(const tern_artifact *artifact);

/* Bytes of weights the artifact carries (embedded or beside it). */
TERN_API uint64_t tern_artifact_weights_bytes(const tern_artifact *artifact);

/* Multiply-accumulates per token in a language model's layer matmuls (what
 * a prompt token costs in compute); 0 when the artifact does not say. */
TERN_API int64_t tern_artifact_layer_macs(const tern_artifact *artifact);

/* Entry points and their signatures; dims of -1 are dynamic. */
TERN_API size_t tern_artifact_num_functions(const tern_artifact *artifact);
TERN_API const char *tern_artifact_function_name(const tern_artifact *artifact,
                                        size_t index);
TERN_API tern_status tern_artifact_function_info(const tern_artifact *artifact,
                                        const char *function,
                                        size_t *num_inputs,
                                        size_t *num_results);
TERN_API tern_status tern_artifact_input_info(const tern_artifact *artifact,
                                     const char *function, size_t index,
                                     tern_dtype *dtype, size_t *rank,
                                     const int64_t **shape);
TERN_API tern_status tern_artifact_result_info(const tern_artifact *artifact,
                                      const char *function, size_t index,
                                      tern_dtype *dtype, size_t *rank,
                                      const int64_t **shape);

/* Language models (artifacts compiled from a checkpoint) have entry points
 * prefill(tokens i32[T], position i64[], key_cache, value_cache) and
 * decode(token i32[1], ...), both returning logits f32[T, vocab]; the caches
 * are f32[layers, kv_heads, context, head_dim] tensors the caller owns and
 * passes to every call, which updates them in place. */
typedef struct tern_model_info {
  int64_t layers, kv_heads, head_dim, context, vocab;
  int64_t bos, eos; /* -1 when the model has none */
} tern_model_info;

/* TERN_ERROR_NOT_FOUND when the artifact is not a language model. */
TERN_API tern_status tern_artifact_model_info(const tern_artifact *artifact,
                                              tern_model_info *out);

/* How the checkpoint asks for text to be generated. Pointers stay valid
 * while the artifact is loaded. */
typedef struct tern_generation_defaults {
  int has_sampling;       /* whether the checkpoint gave sampling defaults */
  float temperature;      /* 0: greedy */
  int64_t top_k;          /* 0: every token */
  float top_p;            /* nucleus mass kept (1: all) */
  float repeat_penalty;   /* 1: none */
  int64_t max_new_tokens; /* 0: the model sets no limit */
  const int64_t *stop_tokens; /* ids that end generation (eos, end of turn) */
  size_t num_stop_tokens;
  const char *chat_format; /* "llama3", "chatml", "llama2", "zephyr",
                              "bitnet", or "" when not recognized */
} tern_generation_defaults;

/* TERN_ERROR_NOT_FOUND when the artifact is not a language model. */
TERN_API tern_status tern_artifact_generation_defaults(
    const tern_artifact *artifact, tern_generation_defaults *out);

/* Text <-> token ids with the tokenizer the artifact carries
 * (TERN_ERROR_NOT_FOUND when it has none). Results are malloc'd; release
 * them with tern_free. Special tokens written in the text (e.g.
 * "<|begin_of_text|>") are recognized when allow_special is non-zero. */
TERN_API tern_status tern_tokenize(tern_artifact *artifact, const char *text,
                                   size_t length, int allow_special,
                                   int32_t **ids, size_t *count);
TERN_API tern_status tern_detokenize(tern_artifact *artifact,
                                     const int32_t *ids, size_t count,
                                     char **text, size_t *length);
TERN_API void tern_free(void *pointer);

/* Tensors: dense, row-major, 64-byte aligned. `data` is copied when given,
 * else the tensor is zero-filled. */
TERN_API tern_status tern_tensor_create(tern_dtype dtype, size_t rank,
                               const int64_t *shape, const void *data,
                               tern_tensor **out);
/* A tensor over the caller's memory (no copy): `data` holds the elements,
 * dense and row-major, 64-byte aligned, and outlives the tensor; an entry
 * point that updates an input in place (a KV cache) writes it there.
 * tern_tensor_free releases the tensor, not `data`. */
TERN_API tern_status tern_tensor_wrap(tern_dtype dtype, size_t rank,
                                      const int64_t *shape, void *data,
                                      tern_tensor **out);
TERN_API void tern_tensor_free(tern_tensor *tensor);
TERN_API tern_dtype tern_tensor_dtype(const tern_tensor *tensor);
TERN_API size_t tern_tensor_rank(const tern_tensor *tensor);
TERN_API const int64_t *tern_tensor_shape(const tern_tensor *tensor);
/* The tensor's elements on the host. A tensor that was an input of a CUDA
 * artifact's entry point stays on the GPU (the call may have written it):
 * this downloads it first, or returns null when that fails (see
 * tern_last_error()). Call it again after every tern_run before reading or
 * writing through the pointer; writes are uploaded by the next tern_run. */
TERN_API void *tern_tensor_data(tern_tensor *tensor);
TERN_API size_t tern_tensor_size_bytes(const tern_tensor *tensor);

/* Runs `function`. `results` receives num_results new tensors that the
 * caller frees with tern_tensor_free. */
TERN_API tern_status tern_run(tern_artifact *artifact, const char *function,
                     tern_tensor *const *inputs, size_t num_inputs,
                     tern_tensor **results, size_t num_results);

/* Threads used by entry points (0: one per hardware thread). */
TERN_API void tern_set_num_threads(int threads);
TERN_API int tern_get_num_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* TERN_C_RUNTIME_H */
