//===- CudaSession.h - The process's GPU and its device memory --*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// One CUDA session per process: the driver, the GPU ($TERN_CUDA_DEVICE,
// default 0), its retained primary context, and a caching allocator of
// device memory shared by every CUDA artifact and tensor. Blocks are rounded
// up to 256 bytes and kept on free lists by size: a decode step allocates
// the same sizes as the one before, so after the first step no call reaches
// cuMemAlloc. Reuse needs no events because all work goes to the legacy
// default stream.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_CUDASESSION_H
#define TERN_RUNTIME_CUDASESSION_H

#include "CudaDriver.h"

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace tern::cuda {

/// Device blocks' alignment and size granularity (cuMemAlloc aligns to at
/// least this).
inline constexpr size_t kBlockAlignment = 256;

/// The process's GPU: created by the first CUDA artifact, never destroyed
/// (the driver may be gone by the time static destructors run).
class Session {
public:
  /// The session, or null with `error` saying why there is none (no driver,
  /// no GPU, a bad $TERN_CUDA_DEVICE). Later calls give the same answer.
  static Session *get(std::string &error);

  const Driver &driver;
  DeviceInfo info;
  CUcontext context = nullptr;
  /// What the alloc hook returns once a run has failed: valid device memory
  /// that nothing writes, since launches are skipped from then on.
  CUdeviceptr scratch = 0;

  /// Makes the context current on the calling thread.
  bool enter(std::string &error) const {
    if (CUresult r = driver.cuCtxSetCurrent(context); r != CUDA_SUCCESS) {
      error = driver.describe("cuCtxSetCurrent", r);
      return false;
    }
    return true;
  }

  /// A block of at least `bytes` (rounded up to 256) from the cache or the
  /// driver; when the driver is out of memory, the cache is emptied and the
  /// allocation tried again.
  CUresult allocate(size_t bytes, CUdeviceptr &out);
  /// Returns a block from allocate() to the cache (to the driver when no
  /// program is loaded); false when the allocator did not hand it out.
  bool release(CUdeviceptr pointer);
  /// Gives every cached block back to the driver.
  void trim();

  void programLoaded() {
    std::lock_guard<std::mutex> lock(mutex);
    ++programs;
  }
  void programFreed() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      --programs;
    }
    trim();
  }

private:
  explicit Session(const Driver &driver) : driver(driver) {}
  void trimLocked();

  std::mutex mutex;
  std::unordered_map<CUdeviceptr, size_t> live; ///< handed out, rounded size
  std::unordered_map<size_t, std::vector<CUdeviceptr>> cached; ///< by size
  int programs = 0;
};


} // namespace tern::cuda

#endif // TERN_RUNTIME_CUDASESSION_H
