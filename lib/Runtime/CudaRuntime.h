//===- CudaRuntime.h - Loading and running CUDA artifacts -------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The device side of a CUDA artifact (header record `gpu cuda <arch>`, see
// tern/Support/Artifact.h and docs/cuda-runtime.md). Its entry points run on
// the host and reach the GPU only through three hooks the runtime installs
// (alloc, free, launch); every pointer in their descriptors is device memory.
//
// The GPU is the process's CUDA session (CudaSession.h), created by the
// first CUDA artifact that loads. All work goes to the legacy default
// stream, so a block freed by one kernel sequence and reused by the next is
// ordered without events, and every device-to-host copy waits for the
// kernels before it.
//
// Inputs keep a device copy in their tern_tensor: uploaded when the host
// side is newer, downloaded when tern_tensor_data asks for a tensor an entry
// point may have written (KV caches stay on the GPU across decode steps).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_CUDARUNTIME_H
#define TERN_RUNTIME_CUDARUNTIME_H

#include "CudaDriver.h"
#include "tern-c/runtime.h"
#include "tern/Support/Artifact.h"

#include <memory>
#include <string>
#include <vector>

namespace tern::cuda {

class Session;

/// A loaded CUDA artifact's device side: its PTX module, kernels, weights
/// and device error word.
class Program {
public:
  /// Loads the device side of the artifact `library` (dlopen'ed from
  /// `path`, header already parsed into `metadata`) and installs its hooks.
  /// `weights` are the checked host weights, uploaded once. On failure,
  /// returns the status with `error` naming `path`.
  static tern_status load(void *library, const std::string &path,
                          const ArtifactMetadata &metadata, const void *weights,
                          std::unique_ptr<Program> &out, std::string &error);
  /// Waits for the GPU, unloads the module, frees the weights and returns
  /// the session's cached blocks to the driver.
  ~Program();

  /// Runs `entry` (a __tern_entry_<name> of this artifact with signature
  /// `f`, inputs already checked against it): uploads the inputs that need
  /// it, calls the entry, and copies the results into new host tensors.
  /// `deviceError` receives the module's __tern_error (then reset to 0); the
  /// results are null when it is nonzero. On failure (the driver, device
  /// memory, a launch), returns the status with `error` set and no results.
  tern_status run(const FunctionSignature &f, void (*entry)(void **),
                  tern_tensor *const *inputs, tern_tensor **results,
                  int32_t &deviceError, std::string &error);

  /// The name of `function`, one of this module's kernels ("?" if not).
  const std::string &kernelName(CUfunction function) const;

  Program(const Program &) = delete;
  Program &operator=(const Program &) = delete;

private:
  Program() = default;
  /// Writes the kernels and hooks into the library's globals (again before
  /// every run: two artifacts loaded from one file share them).
  void install() const;

  Session *session = nullptr;
  std::string path;
  CUmodule module = nullptr;
  std::vector<std::string> kernelNames;
  std::vector<CUfunction> functions; ///< parallel to kernelNames
  void **functionSlots = nullptr;    ///< __tern_gpu_functions
  void **launchSlot = nullptr, **allocSlot = nullptr, **freeSlot = nullptr;
  CUdeviceptr weights = 0;
  uint64_t weightsBytes = 0;
  CUdeviceptr errorWord = 0; ///< the module's __tern_error
  /// Page-locked slots for rank-0 inputs (positions, lengths), one
  /// kScalarSlotBytes slot per input: host code reads them, so they stay in
  /// host memory the GPU can read too.
  char *scalarSlots = nullptr;
  size_t scalarSlotCount = 0;
};

/// tern_tensor_data on a tensor whose device copy is newer: downloads it and
/// makes the host side current. False with `error` when the copy fails.
bool downloadTensor(tern_tensor &tensor, std::string &error);

/// The session GPU's device-to-device copy bandwidth in GB/s (read + write
/// bytes per second, best of several copies).
bool measureCopyBandwidth(double &gigabytesPerSecond, std::string &error);
/// Device memory in use on the session GPU (total - free), in bytes.
bool memoryUsed(uint64_t &bytes, std::string &error);

/// tern_tensor_free: gives the tensor's device copy back to the allocator.
void releaseTensor(tern_tensor &tensor);

} // namespace tern::cuda

#endif // TERN_RUNTIME_CUDARUNTIME_H
