/*===- cuda_artifact.c - A hand-made CUDA artifact for runtime tests -------===*\
|*                                                                            *|
|* Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit  *|
|* LLMs.                                                                      *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* What ternc --target=cuda emits (docs/cuda-runtime.md), written by hand so  *|
|* the runtime is tested apart from the compiler. Built with                  *|
|* `clang-22 -shared -fPIC`; run against Inputs/fake_cuda.c, whose kernels    *|
|* tern_copy and tern_fail have the effect their PTX below has.               *|
|*                                                                            *|
|* Entry points (f32 vectors):                                                *|
|*   main(x) -> copy of x            (also allocates and frees a scratch)     *|
|*   identity(x) -> x                (returns the input's own device buffer)  *|
|*   store(cache, x) -> ()           (copies x into cache, in place)          *|
|*   weights() -> f32[2]             (a copy of the weights: 1.5, -2)         *|
|*   fail(x) -> x                    (a kernel sets __tern_error to 1)        *|
|* Variants: -DPTX_TARGET=<n> (the PTX's .target sm_<n>, default 80),        *|
|* -DMISSING_KERNEL (a kernel name the PTX lacks), -DNO_PTX (no __tern_ptx), *|
|* -DBAD_COPY (main's copy reads past its input: a fault on the GPU).        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
#include <stdint.h>

#define STRING(x) #x
#define STRINGIFY(x) STRING(x)
#ifndef PTX_TARGET
#define PTX_TARGET 80
#endif

const char __tern_metadata[] = "tern-artifact 1\n"
                               "target x86_64-unknown-linux-gnu generic\n"
                               "features -\n"
                               "gpu cuda sm_80\n"
                               "weights embedded 8 c83320ffe2ab6255\n"
                               "function main 1 1\n"
                               "input f32 1 -1\n"
                               "result f32 1 -1\n"
                               "function identity 1 1\n"
                               "input f32 1 -1\n"
                               "result f32 1 -1\n"
                               "function store 2 0\n"
                               "input f32 1 -1\n"
                               "input f32 1 -1\n"
                               "function weights 0 1\n"
                               "result f32 1 2\n"
                               "function fail 1 1\n"
                               "input f32 1 -1\n"
                               "result f32 1 -1\n"
                               "end\n";

__attribute__((aligned(64))) const float __tern_weights[2] = {1.5f, -2.0f};

/* tern_copy: one thread per byte. tern_fail: stores its argument in
 * __tern_error. */
#define PTX                                                                    \
  "//\n"                                                                       \
  "// Hand-written for the Tern runtime tests.\n"                              \
  "//\n"                                                                       \
  ".version 8.0\n"                                                             \
  ".target sm_" STRINGIFY(PTX_TARGET) "\n"                                     \
  ".address_size 64\n"                                                         \
  "\n"                                                                         \
  ".global .align 4 .u32 __tern_error;\n"                                      \
  "\n"                                                                         \
  ".visible .entry tern_copy(\n"                                               \
  "\t.param .u64 tern_copy_param_0,\n"                                         \
  "\t.param .u64 tern_copy_param_1,\n"                                         \
  "\t.param .u64 tern_copy_param_2\n"                                          \
  ")\n"                                                                        \
  "{\n"                                                                        \
  "\t.reg .pred %p<2>;\n"                                                      \
  "\t.reg .b16 %rs<2>;\n"                                                      \
  "\t.reg .b32 %r<5>;\n"                                                       \
  "\t.reg .b64 %rd<9>;\n"                                                      \
  "\tld.param.u64 %rd1, [tern_copy_param_0];\n"                                \
  "\tld.param.u64 %rd2, [tern_copy_param_1];\n"                                \
  "\tld.param.u64 %rd3, [tern_copy_param_2];\n"                                \
  "\tmov.u32 %r1, %ctaid.x;\n"                                                 \
  "\tmov.u32 %r2, %ntid.x;\n"                                                  \
  "\tmov.u32 %r3, %tid.x;\n"                                                   \
  "\tmad.lo.u32 %r4, %r1, %r2, %r3;\n"                                         \
  "\tcvt.u64.u32 %rd4, %r4;\n"                                                 \
  "\tsetp.ge.u64 %p1, %rd4, %rd3;\n"                                           \
  "\t@%p1 bra $L_done;\n"                                                      \
  "\tcvta.to.global.u64 %rd5, %rd2;\n"                                         \
  "\tadd.s64 %rd6, %rd5, %rd4;\n"                                              \
  "\tld.global.u8 %rs1, [%rd6];\n"                                             \
  "\tcvta.to.global.u64 %rd7, %rd1;\n"                                         \
  "\tadd.s64 %rd8, %rd7, %rd4;\n"                                              \
  "\tst.global.u8 [%rd8], %rs1;\n"                                             \
  "$L_done:\n"                                                                 \
  "\tret;\n"                                                                   \
  "}\n"                                                                        \
  "\n"                                                                         \
  ".visible .entry tern_fail(\n"                                               \
  "\t.param .u32 tern_fail_param_0\n"                                          \
  ")\n"                                                                        \
  "{\n"                                                                        \
  "\t.reg .b32 %r<2>;\n"                                                       \
  "\tld.param.u32 %r1, [tern_fail_param_0];\n"                                 \
  "\tst.global.u32 [__tern_error], %r1;\n"                                     \
  "\tret;\n"                                                                   \
  "}\n"

#ifndef NO_PTX
/* 8-byte length, then the text; the length counts the NUL. */
const struct {
  uint64_t length;
  char text[sizeof(PTX)];
} __tern_ptx = {sizeof(PTX), PTX};
#endif

#ifdef MISSING_KERNEL
#define KERNELS "tern_copy\0tern_fail\0tern_gelu\0"
#define NUM_KERNELS 3
#else
#define KERNELS "tern_copy\0tern_fail\0"
#define NUM_KERNELS 2
#endif
const struct {
  uint64_t length;
  char names[sizeof(KERNELS)];
} __tern_gpu_kernels = {sizeof(KERNELS) - 1, KERNELS};

void *__tern_gpu_functions[NUM_KERNELS];
void *__tern_gpu_launch, *__tern_gpu_alloc, *__tern_gpu_free;
void *__tern_parallel_for;

typedef void (*LaunchFn)(void *function, int64_t gridX, int64_t gridY,
                         int64_t gridZ, int64_t blockX, int64_t blockY,
                         int64_t blockZ, int64_t sharedBytes, void **params);
typedef void *(*AllocFn)(int64_t bytes);
typedef void (*FreeFn)(void *pointer);

/* The descriptor of a rank-1 memref: allocated, aligned, offset, size,
 * stride. Every pointer in it is device memory: never dereferenced here. */
typedef struct {
  int64_t allocated, aligned, offset, size, stride;
} Vector;

static void *elements(const Vector *v) {
  return (char *)(intptr_t)v->aligned + v->offset * 4;
}

static void copy(void *to, void *from, int64_t bytes) {
  void *params[] = {&to, &from, &bytes};
  int64_t blocks = (bytes + 255) / 256;
  ((LaunchFn)__tern_gpu_launch)(__tern_gpu_functions[0], blocks ? blocks : 1,
                                1, 1, 256, 1, 1, 0, params);
}

static void result(Vector *out, void *buffer, int64_t size) {
  out->allocated = out->aligned = (int64_t)(intptr_t)buffer;
  out->offset = 0;
  out->size = size;
  out->stride = 1;
}

void __tern_entry_main(void **args) {
  Vector *out = args[0], *x = args[2];
  void *y = ((AllocFn)__tern_gpu_alloc)(x->size * 4);
  void *scratch = ((AllocFn)__tern_gpu_alloc)(1000);
  copy(scratch, elements(x), x->size * 4 < 1000 ? x->size * 4 : 1000);
#ifdef BAD_COPY
  copy(y, elements(x), x->size * 4 + 4096);
#else
  copy(y, elements(x), x->size * 4);
#endif
  ((FreeFn)__tern_gpu_free)(scratch);
  result(out, y, x->size);
}

void __tern_entry_identity(void **args) {
  Vector *out = args[0], *x = args[2];
  *out = *x;
}

void __tern_entry_store(void **args) {
  Vector *cache = args[1], *x = args[2]; /* no results: args[0] is weights */
  int64_t n = cache->size < x->size ? cache->size : x->size;
  copy(elements(cache), elements(x), n * 4);
}

void __tern_entry_weights(void **args) {
  Vector *out = args[0], *w = args[1];
  void *y = ((AllocFn)__tern_gpu_alloc)(8);
  copy(y, (void *)(intptr_t)w->aligned, 8);
  result(out, y, 2);
}

void __tern_entry_fail(void **args) {
  Vector *out = args[0], *x = args[2];
  uint32_t code = 1; /* RuntimeError::PositionOutOfRange */
  void *params[] = {&code};
  ((LaunchFn)__tern_gpu_launch)(__tern_gpu_functions[1], 1, 1, 1, 1, 1, 1, 0,
                                params);
  *out = *x;
}
