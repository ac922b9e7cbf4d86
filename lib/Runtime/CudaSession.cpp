//===- CudaSession.cpp - The process's GPU and its device memory ----------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "CudaSession.h"

#include <cstdlib>

using namespace tern::cuda;

static size_t roundUp(size_t bytes) {
  bytes = bytes ? bytes : 1;
  return (bytes + kBlockAlignment - 1) / kBlockAlignment * kBlockAlignment;
}

Session *Session::get(std::string &error) {
  static std::mutex creating;
  static Session *session = nullptr;
  static std::string failure;
  static bool tried = false;
  std::lock_guard<std::mutex> lock(creating);
  if (tried) {
    error = failure;
    return session;
  }
  tried = true;
  auto fail = [&](std::string why) -> Session * {
    failure = error = std::move(why);
    return nullptr;
  };
  std::vector<DeviceInfo> devices;
  if (!listDevices(devices, error))
    return fail(error);
  const Driver *driver = Driver::get(error);
  int ordinal = 0;
  if (const char *text = std::getenv("TERN_CUDA_DEVICE"); text && *text) {
    char *end = nullptr;
    long value = std::strtol(text, &end, 10);
    if (*end || value < 0 || value >= long(devices.size()))
      return fail("TERN_CUDA_DEVICE=" + std::string(text) +
                  " is not a GPU ordinal (the driver reports " +
                  std::to_string(devices.size()) + " GPU" +
                  (devices.size() == 1 ? "" : "s") + ")");
    ordinal = int(value);
  }
  auto *s = new Session(*driver);
  s->info = devices[size_t(ordinal)];
  CUdevice device = 0;
  CUresult r = driver->cuDeviceGet(&device, ordinal);
  if (r == CUDA_SUCCESS)
    r = driver->cuDevicePrimaryCtxRetain(&s->context, device);
  if (r != CUDA_SUCCESS) {
    delete s;
    return fail("GPU " + std::to_string(ordinal) + ": " +
                driver->describe("cuDevicePrimaryCtxRetain", r));
  }
  if (!s->enter(error))
    return fail("GPU " + std::to_string(ordinal) + ": " + error);
  if (r = driver->cuMemAlloc_v2(&s->scratch, kBlockAlignment);
      r != CUDA_SUCCESS)
    return fail("GPU " + std::to_string(ordinal) + ": " +
                driver->describe("cuMemAlloc_v2", r));
  session = s;
  return session;
}

CUresult Session::allocate(size_t bytes, CUdeviceptr &out) {
  size_t size = roundUp(bytes);
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cached.find(size); it != cached.end() && !it->second.empty()) {
    out = it->second.back();
    it->second.pop_back();
    live.emplace(out, size);
    return CUDA_SUCCESS;
  }
  CUresult r = driver.cuMemAlloc_v2(&out, size);
  if (r == CUDA_ERROR_OUT_OF_MEMORY) {
    trimLocked();
    r = driver.cuMemAlloc_v2(&out, size);
  }
  if (r == CUDA_SUCCESS)
    live.emplace(out, size);
  return r;
}

bool Session::release(CUdeviceptr pointer) {
  std::lock_guard<std::mutex> lock(mutex);
  auto it = live.find(pointer);
  if (it == live.end())
    return false;
  if (programs > 0)
    cached[it->second].push_back(pointer);
  else
    driver.cuMemFree_v2(pointer);
  live.erase(it);
  return true;
}

void Session::trim() {
  std::lock_guard<std::mutex> lock(mutex);
  trimLocked();
}

void Session::trimLocked() {
  for (auto &[size, blocks] : cached)
    for (CUdeviceptr p : blocks)
      driver.cuMemFree_v2(p);
  cached.clear();
}
