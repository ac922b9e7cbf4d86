//===- CudaDriver.cpp - The CUDA driver API, opened at run time -----------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "CudaDriver.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

using namespace tern::cuda;

namespace {

/// The process's one attempt at opening the driver.
struct Loaded {
  Driver driver{};
  bool ok = false;
  std::string error;
};

/// Resolves `name` from `library` into `slot`; false (with `error`) when the
/// library lacks it.
template <typename Fn>
bool resolve(void *library, const char *name, Fn &slot, const std::string &path,
             std::string &error) {
  slot = reinterpret_cast<Fn>(dlsym(library, name));
  if (!slot)
    error = "CUDA driver '" + path + "' has no entry point '" + name +
            "' (a driver older than CUDA 11, or not a CUDA driver)";
  return slot != nullptr;
}

Loaded load() {
  Loaded loaded;
  const char *override = std::getenv("TERN_CUDA_DRIVER");
  std::string path = override && *override ? override : "libcuda.so.1";
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *why = dlerror();
    loaded.error = "no CUDA driver: cannot open '" + path + "'" +
                   (why ? std::string(" (") + why + ")" : std::string()) +
                   "; an NVIDIA driver is needed to run CUDA artifacts";
    return loaded;
  }
  Driver &d = loaded.driver;
  std::string &e = loaded.error;
  // Every entry point, in the order the driver API documents them.
#define TERN_CUDA_ENTRY(name) resolve(library, #name, d.name, path, e) &&
  bool ok = TERN_CUDA_ENTRY(cuInit) TERN_CUDA_ENTRY(cuDriverGetVersion)
      TERN_CUDA_ENTRY(cuDeviceGetCount) TERN_CUDA_ENTRY(cuDeviceGet)
      TERN_CUDA_ENTRY(cuDeviceGetName) TERN_CUDA_ENTRY(cuDeviceGetAttribute)
      TERN_CUDA_ENTRY(cuDeviceTotalMem_v2)
      TERN_CUDA_ENTRY(cuDevicePrimaryCtxRetain)
      TERN_CUDA_ENTRY(cuDevicePrimaryCtxRelease_v2)
      TERN_CUDA_ENTRY(cuCtxSetCurrent) TERN_CUDA_ENTRY(cuCtxSynchronize)
      TERN_CUDA_ENTRY(cuModuleLoadDataEx) TERN_CUDA_ENTRY(cuModuleUnload)
      TERN_CUDA_ENTRY(cuModuleGetFunction) TERN_CUDA_ENTRY(cuModuleGetGlobal_v2)
      TERN_CUDA_ENTRY(cuLaunchKernel)
      TERN_CUDA_ENTRY(cuMemAlloc_v2) TERN_CUDA_ENTRY(cuMemFree_v2)
      TERN_CUDA_ENTRY(cuMemAllocHost_v2) TERN_CUDA_ENTRY(cuMemFreeHost)
      TERN_CUDA_ENTRY(cuMemcpyHtoD_v2) TERN_CUDA_ENTRY(cuMemcpyDtoH_v2)
      TERN_CUDA_ENTRY(cuMemcpyDtoD_v2) TERN_CUDA_ENTRY(cuMemGetInfo_v2)
      TERN_CUDA_ENTRY(cuGetErrorName) TERN_CUDA_ENTRY(cuGetErrorString) true;
#undef TERN_CUDA_ENTRY
  if (!ok) {
    dlclose(library);
    return loaded;
  }
  if (CUresult r = d.cuInit(0); r != CUDA_SUCCESS) {
    // The library stays open: its error strings are needed for the message.
    loaded.error = "the CUDA driver '" + path +
                   "' did not initialize: " + d.describe("cuInit", r);
    return loaded;
  }
  loaded.ok = true;
  return loaded;
}

} // namespace

const Driver *Driver::get(std::string &error) {
  static const Loaded loaded = load();
  if (!loaded.ok) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.driver;
}

std::string Driver::describe(const char *call, CUresult result) const {
  if (result == CUDA_SUCCESS)
    return "";
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName)
    cuGetErrorName(result, &name);
  if (cuGetErrorString)
    cuGetErrorString(result, &text);
  return std::string(call) + ": " +
         (name ? name : "CUDA error " + std::to_string(result)) +
         (text ? std::string(" (") + text + ")" : std::string());
}

bool tern::cuda::listDevices(std::vector<DeviceInfo> &devices,
                             std::string &error) {
  devices.clear();
  const Driver *d = Driver::get(error);
  if (!d)
    return false;
  int count = 0;
  if (CUresult r = d->cuDeviceGetCount(&count); r != CUDA_SUCCESS) {
    error = d->describe("cuDeviceGetCount", r);
    return false;
  }
  if (count == 0) {
    error = "the CUDA driver reports no GPU";
    return false;
  }
  for (int i = 0; i < count; ++i) {
    DeviceInfo info;
    info.ordinal = i;
    CUdevice device;
    char name[256] = {};
    CUresult r = d->cuDeviceGet(&device, i);
    if (r == CUDA_SUCCESS)
      r = d->cuDeviceGetName(name, int(sizeof(name)) - 1, device);
    if (r == CUDA_SUCCESS)
      r = d->cuDeviceGetAttribute(&info.major, kComputeCapabilityMajor, device);
    if (r == CUDA_SUCCESS)
      r = d->cuDeviceGetAttribute(&info.minor, kComputeCapabilityMinor, device);
    if (r == CUDA_SUCCESS)
      r = d->cuDeviceTotalMem_v2(&info.memoryBytes, device);
    if (r != CUDA_SUCCESS) {
      error = "GPU " + std::to_string(i) + ": " +
              d->describe("querying the device", r);
      return false;
    }
    info.name = name;
    devices.push_back(std::move(info));
  }
  return true;
}
