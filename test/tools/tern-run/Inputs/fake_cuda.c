/*===- fake_cuda.c - A stand-in for the CUDA driver in tests ---------------===*\
|*                                                                            *|
|* Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit  *|
|* LLMs.                                                                      *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Built by the tests as a shared library that TERN_CUDA_DRIVER points the    *|
|* runtime at, so the runtime's driver use is checked on any machine:         *|
|* -DPARTIAL exports only cuInit; -DINIT_FAILS fails cuInit with error 100;  *|
|* -DNO_GPU reports none; otherwise two GPUs (sm_90 80 GiB, sm_80 40 GiB),    *|
|* or with -DSM75 GPU 0 is an sm_75 (16 GiB). The signatures are the driver  *|
|* API's (cuda.h).                                                            *|
|*                                                                            *|
|* It runs artifacts, strictly:                                               *|
|* - Device memory is a PROT_NONE reservation, so host code that touches it  *|
|*   crashes; a read/write shadow mapping at the same offsets holds the       *|
|*   bytes, which only the copies (and the kernels below) use. Copies must    *|
|*   stay inside one live allocation. $TERN_FAKE_CUDA_MEMORY caps the live   *|
|*   bytes (cuMemAlloc then fails with CUDA_ERROR_OUT_OF_MEMORY).             *|
|* - Everything but the device queries needs a context current on the        *|
|*   calling thread (cuCtxSetCurrent), else CUDA_ERROR_INVALID_CONTEXT.       *|
|* - cuModuleLoadDataEx takes PTX text with a `.target sm_XX` line no newer  *|
|*   than the current GPU (else CUDA_ERROR_INVALID_PTX, with a log);          *|
|*   cuModuleGetFunction finds `.entry <name>(` in it or fails with           *|
|*   CUDA_ERROR_NOT_FOUND; cuModuleGetGlobal knows __tern_error if declared.  *|
|* - cuLaunchKernel needs kernelParams. Kernels do nothing, except two whose  *|
|*   effect the tests check: tern_copy(u64 dst, u64 src, u64 bytes) copies,   *|
|*   and faults (CUDA_ERROR_ILLEGAL_ADDRESS, sticky, seen by the next call)   *|
|*   outside device memory; tern_fail(u32 code) stores code in __tern_error.  *|
|* - With $TERN_FAKE_CUDA_LOG naming a file, each launch appends              *|
|*   `launch <name> grid=<x>,<y>,<z> block=<x>,<y>,<z>` and each copy        *|
|*   `htod <bytes>` or `dtoh <bytes>`.                                        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_OUT_OF_MEMORY = 2,
  CUDA_ERROR_NO_DEVICE = 100,
  CUDA_ERROR_INVALID_DEVICE = 101,
  CUDA_ERROR_INVALID_IMAGE = 200,
  CUDA_ERROR_INVALID_CONTEXT = 201,
  CUDA_ERROR_INVALID_PTX = 218,
  CUDA_ERROR_INVALID_HANDLE = 400,
  CUDA_ERROR_NOT_FOUND = 500,
  CUDA_ERROR_ILLEGAL_ADDRESS = 700,
};

CUresult cuInit(unsigned flags) {
  (void)flags;
#ifdef INIT_FAILS
  return CUDA_ERROR_NO_DEVICE;
#else
  return CUDA_SUCCESS;
#endif
}

#ifndef PARTIAL

/*===-- Devices -----------------------------------------------------------===*/

#ifdef SM75
static const char *const kNames[] = {"Fake T4", "Fake A100"};
static const int kArch[] = {75, 80};
static const size_t kGiB[] = {16, 40};
#else
static const char *const kNames[] = {"Fake H100", "Fake A100"};
static const int kArch[] = {90, 80};
static const size_t kGiB[] = {80, 40};
#endif

CUresult cuDriverGetVersion(int *version) { *version = 12080; return 0; }
CUresult cuDeviceGetCount(int *count) {
#ifdef NO_GPU
  *count = 0;
#else
  *count = 2;
#endif
  return 0;
}
CUresult cuDeviceGet(int *device, int ordinal) {
  if (ordinal < 0 || ordinal > 1)
    return CUDA_ERROR_INVALID_DEVICE;
  *device = ordinal;
  return 0;
}
CUresult cuDeviceGetName(char *name, int length, int device) {
  strncpy(name, kNames[device & 1], (size_t)length);
  return 0;
}
CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  if (attribute == 75) /* compute capability major */
    *value = kArch[device & 1] / 10;
  else if (attribute == 76)
    *value = kArch[device & 1] % 10;
  else
    return CUDA_ERROR_INVALID_VALUE;
  return 0;
}
CUresult cuDeviceTotalMem_v2(size_t *bytes, int device) {
  *bytes = kGiB[device & 1] << 30;
  return 0;
}

/*===-- Contexts ----------------------------------------------------------===*/

/* A context is its device's ordinal + 1; 0 is none. */
static __thread intptr_t current;
/* The first failed kernel's error, returned by every later call. */
static CUresult sticky;

CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  *context = (void *)(intptr_t)(device + 1);
  return 0;
}
CUresult cuDevicePrimaryCtxRelease_v2(int device) { (void)device; return 0; }
CUresult cuCtxSetCurrent(void *context) {
  current = (intptr_t)context;
  return 0;
}

/* The checks every context-bound call starts with. */
#define ENTER()                                                                \
  do {                                                                         \
    if (!current)                                                              \
      return CUDA_ERROR_INVALID_CONTEXT;                                       \
    if (sticky)                                                                \
      return sticky;                                                           \
  } while (0)

CUresult cuCtxSynchronize(void) {
  ENTER();
  return 0;
}

static void logLine(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

/*===-- Memory ------------------------------------------------------------===*/

#define RESERVED ((size_t)1 << 32)
#define MAX_BLOCKS 65536
static char *device; /* PROT_NONE: what device pointers point into */
static char *shadow; /* the bytes, at the same offsets */
static size_t top, liveBytes;
static struct Block {
  size_t offset, size;
  int live;
} blocks[MAX_BLOCKS];
static int numBlocks;

static int reserve(void) {
  if (device)
    return 1;
  device = mmap(NULL, RESERVED, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  shadow = mmap(NULL, RESERVED, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (device == MAP_FAILED || shadow == MAP_FAILED) {
    device = NULL;
    return 0;
  }
  top = 4096; /* no allocation at the reservation's first byte */
  return 1;
}

static CUresult allocate(CUdeviceptr *p, size_t bytes) {
  const char *limit = getenv("TERN_FAKE_CUDA_MEMORY");
  size_t size = (bytes + 255) / 256 * 256;
  if (!reserve() || numBlocks == MAX_BLOCKS || top + size > RESERVED ||
      (limit && *limit && liveBytes + size > strtoull(limit, NULL, 10)))
    return CUDA_ERROR_OUT_OF_MEMORY;
  blocks[numBlocks].offset = top;
  blocks[numBlocks].size = bytes;
  blocks[numBlocks].live = 1;
  ++numBlocks;
  *p = (CUdeviceptr)(uintptr_t)(device + top);
  top += size ? size : 256;
  liveBytes += size;
  return 0;
}

/* Where [p, p + bytes) is in the shadow, if it lies in one live block. */
static char *shadowOf(CUdeviceptr p, size_t bytes) {
  char *at = (char *)(uintptr_t)p;
  if (!device || at < device || at >= device + RESERVED)
    return NULL;
  size_t offset = (size_t)(at - device);
  for (int i = 0; i < numBlocks; ++i)
    if (blocks[i].live && offset >= blocks[i].offset &&
        offset + bytes <= blocks[i].offset + blocks[i].size)
      return shadow + offset;
  return NULL;
}

CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
  ENTER();
  if (!p || bytes == 0)
    return CUDA_ERROR_INVALID_VALUE;
  return allocate(p, bytes);
}
CUresult cuMemFree_v2(CUdeviceptr p) {
  ENTER();
  size_t offset = (size_t)((char *)(uintptr_t)p - device);
  for (int i = 0; i < numBlocks; ++i)
    if (blocks[i].live && blocks[i].offset == offset) {
      blocks[i].live = 0;
      liveBytes -= (blocks[i].size + 255) / 256 * 256;
      return 0;
    }
  return CUDA_ERROR_INVALID_VALUE;
}
/* Page-locked host memory: plain host memory here (the host may read it). */
CUresult cuMemAllocHost_v2(void **p, size_t bytes) {
  ENTER();
  if (!p || bytes == 0)
    return CUDA_ERROR_INVALID_VALUE;
  *p = calloc(1, bytes);
  return *p ? 0 : CUDA_ERROR_OUT_OF_MEMORY;
}
CUresult cuMemFreeHost(void *p) {
  ENTER();
  free(p);
  return 0;
}
CUresult cuMemGetInfo_v2(size_t *freeBytes, size_t *totalBytes) {
  ENTER();
  size_t total = (size_t)80 << 30;
  *totalBytes = total;
  *freeBytes = total - liveBytes;
  return 0;
}
CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) {
  ENTER();
  char *to = shadowOf(d, n), *from = shadowOf(s, n);
  if (!to || !from)
    return CUDA_ERROR_INVALID_VALUE;
  memmove(to, from, n);
  logLine("dtod %zu", n);
  return 0;
}
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *s, size_t n) {
  ENTER();
  char *to = shadowOf(d, n);
  if (!to || !s)
    return CUDA_ERROR_INVALID_VALUE;
  memcpy(to, s, n);
  logLine("htod %zu", n);
  return 0;
}
CUresult cuMemcpyDtoH_v2(void *d, CUdeviceptr s, size_t n) {
  ENTER();
  char *from = shadowOf(s, n);
  if (!from || !d)
    return CUDA_ERROR_INVALID_VALUE;
  memcpy(d, from, n);
  logLine("dtoh %zu", n);
  return 0;
}

/*===-- Modules and kernels -----------------------------------------------===*/

struct Module;
/* Kernels per module: an imported ONNX graph has hundreds. */
enum { kMaxFunctions = 2048 };
typedef struct Function {
  struct Module *module;
  char name[128];
  long launches;
} Function;
typedef struct Module {
  char *ptx;
  int loaded;
  CUdeviceptr error; /* __tern_error, 0 when the PTX declares none */
  Function functions[kMaxFunctions];
  int numFunctions;
} Module;

/* Copies `text` into the JIT error log the caller gave, if any. */
static void jitLog(unsigned n, const int *options, void **values,
                   const char *text) {
  char *buffer = NULL;
  size_t size = 0;
  unsigned i;
  for (i = 0; i < n; ++i) {
    if (options[i] == 5) /* CU_JIT_ERROR_LOG_BUFFER */
      buffer = values[i];
    else if (options[i] == 6) /* CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES */
      size = (size_t)(uintptr_t)values[i];
  }
  if (!buffer || !size)
    return;
  snprintf(buffer, size, "%s", text);
  for (i = 0; i < n; ++i)
    if (options[i] == 6)
      values[i] = (void *)(uintptr_t)(strlen(buffer) + 1);
}

CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned n,
                            int *options, void **values) {
  ENTER();
  const char *ptx = image;
  if (!module || !ptx || !strstr(ptx, ".version "))
    return CUDA_ERROR_INVALID_IMAGE;
  const char *target = strstr(ptx, ".target sm_");
  if (!target || (target != ptx && target[-1] != '\n')) {
    jitLog(n, options, values,
           "ptxas fatal   : PTX has no '.target sm_XX' directive");
    return CUDA_ERROR_INVALID_PTX;
  }
  int arch = atoi(target + strlen(".target sm_"));
  if (arch > kArch[(current - 1) & 1]) {
    char text[200];
    snprintf(text, sizeof text,
             "ptxas fatal   : SM version specified by .target (sm_%d) is "
             "higher than this GPU's (sm_%d)",
             arch, kArch[(current - 1) & 1]);
    jitLog(n, options, values, text);
    return CUDA_ERROR_INVALID_PTX;
  }
  Module *m = calloc(1, sizeof(Module));
  m->ptx = strdup(ptx);
  m->loaded = 1;
  if (strstr(ptx, ".global .align 4 .u32 __tern_error;") &&
      allocate(&m->error, 4) != 0)
    return CUDA_ERROR_OUT_OF_MEMORY;
  *module = m;
  return 0;
}
CUresult cuModuleUnload(void *module) {
  ENTER();
  Module *m = module;
  if (!m || !m->loaded)
    return CUDA_ERROR_INVALID_HANDLE;
  m->loaded = 0; /* kept, so a stale function is caught */
  return 0;
}
CUresult cuModuleGetFunction(void **f, void *module, const char *name) {
  ENTER();
  Module *m = module;
  char pattern[160];
  if (!m || !m->loaded)
    return CUDA_ERROR_INVALID_HANDLE;
  snprintf(pattern, sizeof pattern, ".entry %s(", name);
  if (!strstr(m->ptx, pattern) || m->numFunctions == kMaxFunctions ||
      strlen(name) >= sizeof(m->functions[0].name))
    return CUDA_ERROR_NOT_FOUND;
  Function *fn = &m->functions[m->numFunctions++];
  fn->module = m;
  strcpy(fn->name, name);
  *f = fn;
  return 0;
}
CUresult cuModuleGetGlobal_v2(CUdeviceptr *p, size_t *bytes, void *module,
                              const char *name) {
  ENTER();
  Module *m = module;
  if (!m || !m->loaded)
    return CUDA_ERROR_INVALID_HANDLE;
  if (strcmp(name, "__tern_error") != 0 || !m->error)
    return CUDA_ERROR_NOT_FOUND;
  *p = m->error;
  *bytes = 4;
  return 0;
}

CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        void *stream, void **params, void **extra) {
  ENTER();
  Function *fn = f;
  (void)shared; (void)stream; (void)extra;
  if (!fn || !fn->module->loaded)
    return CUDA_ERROR_INVALID_HANDLE;
  if (!params || !gx || !gy || !gz || !bx || !by || !bz)
    return CUDA_ERROR_INVALID_VALUE;
  ++fn->launches;
  logLine("launch %s grid=%u,%u,%u block=%u,%u,%u", fn->name, gx, gy, gz, bx,
          by, bz);
  if (strcmp(fn->name, "tern_copy") == 0) {
    CUdeviceptr to = *(CUdeviceptr *)params[0];
    CUdeviceptr from = *(CUdeviceptr *)params[1];
    size_t bytes = (size_t)*(uint64_t *)params[2];
    char *t = shadowOf(to, bytes), *s = shadowOf(from, bytes);
    if (!t || !s)
      sticky = CUDA_ERROR_ILLEGAL_ADDRESS; /* seen by the next call */
    else
      memmove(t, s, bytes);
  } else if (strcmp(fn->name, "tern_fail") == 0 && fn->module->error) {
    memcpy(shadowOf(fn->module->error, 4), params[0], 4);
  }
  return 0;
}

/*===-- Errors and the log ------------------------------------------------===*/

static const struct {
  CUresult code;
  const char *name, *text;
} kErrors[] = {
    {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE",
     "no CUDA-capable device is detected"},
    {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE",
     "invalid device ordinal"},
    {CUDA_ERROR_INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE",
     "device kernel image is invalid"},
    {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT",
     "invalid device context"},
    {CUDA_ERROR_INVALID_PTX, "CUDA_ERROR_INVALID_PTX",
     "a PTX JIT compilation failed"},
    {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE",
     "invalid resource handle"},
    {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {CUDA_ERROR_ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS",
     "an illegal memory access was encountered"},
};

CUresult cuGetErrorName(CUresult error, const char **name) {
  size_t i;
  *name = "CUDA_ERROR_UNKNOWN";
  for (i = 0; i < sizeof kErrors / sizeof kErrors[0]; ++i)
    if (kErrors[i].code == error)
      *name = kErrors[i].name;
  return 0;
}
CUresult cuGetErrorString(CUresult error, const char **text) {
  size_t i;
  *text = "unknown error";
  for (i = 0; i < sizeof kErrors / sizeof kErrors[0]; ++i)
    if (kErrors[i].code == error)
      *text = kErrors[i].text;
  return 0;
}

static void logLine(const char *format, ...) {
  const char *path = getenv("TERN_FAKE_CUDA_LOG");
  FILE *file;
  va_list args;
  if (!path || !*path || !(file = fopen(path, "a")))
    return;
  va_start(args, format);
  vfprintf(file, format, args);
  va_end(args);
  fputc('\n', file);
  fclose(file);
}

#endif
