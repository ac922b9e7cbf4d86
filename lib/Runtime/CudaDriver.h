//===- CudaDriver.h - The CUDA driver API, opened at run time ---*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The runtime reaches NVIDIA GPUs through the CUDA driver API, dlopen'ed on
// first use (libcuda.so.1, or $TERN_CUDA_DRIVER): no link-time CUDA
// dependency, so the same runtime builds and runs on machines without CUDA
// and says why a GPU cannot be used. The declarations below are the driver
// API's documented C signatures (cuda.h), restated for the entry points Tern
// calls; the `_v2` names are the ones current drivers export.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_CUDADRIVER_H
#define TERN_RUNTIME_CUDADRIVER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tern::cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;

constexpr CUresult CUDA_SUCCESS = 0;
constexpr CUresult CUDA_ERROR_OUT_OF_MEMORY = 2;
/// cuModuleLoadDataEx options (CUjit_option): the error log buffer (char *)
/// and its size (unsigned int in, bytes written out).
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSizeBytes = 6;
/// cuDeviceGetAttribute: CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR/MINOR.
constexpr int kComputeCapabilityMajor = 75;
constexpr int kComputeCapabilityMinor = 76;

/// The driver's entry points, resolved once per process.
struct Driver {
  CUresult (*cuInit)(unsigned flags);
  CUresult (*cuDriverGetVersion)(int *version);
  CUresult (*cuDeviceGetCount)(int *count);
  CUresult (*cuDeviceGet)(CUdevice *device, int ordinal);
  CUresult (*cuDeviceGetName)(char *name, int length, CUdevice device);
  CUresult (*cuDeviceGetAttribute)(int *value, int attribute, CUdevice device);
  CUresult (*cuDeviceTotalMem_v2)(size_t *bytes, CUdevice device);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *context, CUdevice device);
  CUresult (*cuDevicePrimaryCtxRelease_v2)(CUdevice device);
  CUresult (*cuCtxSetCurrent)(CUcontext context);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuModuleLoadDataEx)(CUmodule *module, const void *image,
                                 unsigned numOptions, int *options,
                                 void **optionValues);
  CUresult (*cuModuleUnload)(CUmodule module);
  CUresult (*cuModuleGetFunction)(CUfunction *function, CUmodule module,
                                  const char *name);
  CUresult (*cuModuleGetGlobal_v2)(CUdeviceptr *pointer, size_t *bytes,
                                   CUmodule module, const char *name);
  CUresult (*cuLaunchKernel)(CUfunction function, unsigned gridX,
                             unsigned gridY, unsigned gridZ, unsigned blockX,
                             unsigned blockY, unsigned blockZ,
                             unsigned sharedBytes, CUstream stream,
                             void **params, void **extra);
  CUresult (*cuMemAlloc_v2)(CUdeviceptr *pointer, size_t bytes);
  CUresult (*cuMemFree_v2)(CUdeviceptr pointer);
  /// Page-locked host memory; with unified addressing (every 64-bit Linux
  /// driver) kernels read it at the same address.
  CUresult (*cuMemAllocHost_v2)(void **pointer, size_t bytes);
  CUresult (*cuMemFreeHost)(void *pointer);
  CUresult (*cuMemcpyHtoD_v2)(CUdeviceptr destination, const void *source,
                              size_t bytes);
  CUresult (*cuMemcpyDtoH_v2)(void *destination, CUdeviceptr source,
                              size_t bytes);
  CUresult (*cuMemcpyDtoD_v2)(CUdeviceptr destination, CUdeviceptr source,
                              size_t bytes);
  CUresult (*cuMemGetInfo_v2)(size_t *free, size_t *total);
  CUresult (*cuGetErrorName)(CUresult error, const char **name);
  CUresult (*cuGetErrorString)(CUresult error, const char **text);

  /// The driver, opened and initialized (cuInit) on the first call; null
  /// with `error` saying why not (no library, a missing entry point, or
  /// cuInit's failure). Later calls return the same answer.
  static const Driver *get(std::string &error);

  /// "cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (out of memory)" for a
  /// failed call, or "" for CUDA_SUCCESS.
  std::string describe(const char *call, CUresult result) const;
};

/// One GPU as the driver reports it.
struct DeviceInfo {
  int ordinal = 0;
  std::string name;
  int major = 0, minor = 0; ///< compute capability (sm_<major><minor>)
  size_t memoryBytes = 0;
};

/// The devices the driver reports; false with `error` when there is no
/// driver, or no device.
bool listDevices(std::vector<DeviceInfo> &devices, std::string &error);

} // namespace tern::cuda

#endif // TERN_RUNTIME_CUDADRIVER_H
