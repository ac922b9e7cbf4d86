/*===- fake_cuda.c - A stand-in for the CUDA driver in tests ---------------===*\
|*                                                                            *|
|* Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit  *|
|* LLMs.                                                                      *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Built by the tests as a shared library that TERN_CUDA_DRIVER points the    *|
|* runtime at, so the runtime's driver loading is checked on any machine:    *|
|* -DPARTIAL exports only cuInit; -DINIT_FAILS fails cuInit with error 100;  *|
|* -DNO_GPU reports none; otherwise two GPUs (sm_90 80 GiB, sm_80 40 GiB).    *|
|* The signatures are the driver API's (cuda.h).                             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
#include <stddef.h>
#include <string.h>

typedef int CUresult;

CUresult cuInit(unsigned flags) {
  (void)flags;
#ifdef INIT_FAILS
  return 100;
#else
  return 0;
#endif
}

#ifndef PARTIAL
CUresult cuDriverGetVersion(int *version) { *version = 12080; return 0; }
CUresult cuDeviceGetCount(int *count) {
#ifdef NO_GPU
  *count = 0;
#else
  *count = 2;
#endif
  return 0;
}
CUresult cuDeviceGet(int *device, int ordinal) { *device = ordinal; return 0; }
CUresult cuDeviceGetName(char *name, int length, int device) {
  const char *names[] = {"Fake H100", "Fake A100"};
  strncpy(name, names[device & 1], (size_t)length);
  return 0;
}
CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  if (attribute == 75) /* compute capability major */
    *value = device == 0 ? 9 : 8;
  else if (attribute == 76)
    *value = 0;
  else
    return 1;
  return 0;
}
CUresult cuDeviceTotalMem_v2(size_t *bytes, int device) {
  *bytes = (size_t)(device == 0 ? 80 : 40) << 30;
  return 0;
}
CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  (void)device;
  *context = NULL;
  return 0;
}
CUresult cuDevicePrimaryCtxRelease_v2(int device) { (void)device; return 0; }
CUresult cuCtxSetCurrent(void *context) { (void)context; return 0; }
CUresult cuCtxSynchronize(void) { return 0; }
CUresult cuModuleLoadData(void **module, const void *image) {
  (void)module; (void)image; return 1;
}
CUresult cuModuleUnload(void *module) { (void)module; return 0; }
CUresult cuModuleGetFunction(void **f, void *m, const char *name) {
  (void)f; (void)m; (void)name; return 1;
}
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        void *stream, void **params, void **extra) {
  (void)f; (void)gx; (void)gy; (void)gz; (void)bx; (void)by; (void)bz;
  (void)shared; (void)stream; (void)params; (void)extra;
  return 1;
}
CUresult cuMemAlloc_v2(unsigned long long *p, size_t bytes) {
  (void)p; (void)bytes; return 2;
}
CUresult cuMemFree_v2(unsigned long long p) { (void)p; return 0; }
CUresult cuMemcpyHtoD_v2(unsigned long long d, const void *s, size_t n) {
  (void)d; (void)s; (void)n; return 1;
}
CUresult cuMemcpyDtoH_v2(void *d, unsigned long long s, size_t n) {
  (void)d; (void)s; (void)n; return 1;
}
CUresult cuGetErrorName(CUresult error, const char **name) {
  *name = error == 100 ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN";
  return 0;
}
CUresult cuGetErrorString(CUresult error, const char **text) {
  *text = error == 100 ? "no CUDA-capable device is detected" : "unknown error";
  return 0;
}
#endif
