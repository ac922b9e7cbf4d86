//===- CudaRuntime.cpp - Loading and running CUDA artifacts ---------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The three hooks generated code calls (alloc, free, launch), the
// per-artifact Program, and tensors' device copies. The hooks take no context
// argument: a run's state reaches them through a thread-local, since an entry
// point calls them on the thread that called it.
//
//===----------------------------------------------------------------------===//
#include "CudaRuntime.h"

#include "CudaSession.h"
#include "Tensor.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <limits>
#include <link.h>
#include <unordered_set>

using namespace tern;
using namespace tern::cuda;

namespace {

/// Bytes of a rank-0 input's host-visible slot (any dtype fits).
constexpr size_t kScalarSlotBytes = 64;


/// The state of the tern_run in progress on this thread, for the hooks.
struct RunState {
  const Program *program = nullptr;
  tern_status status = TERN_OK; ///< the first failure
  std::string error;

  void record(tern_status s, std::string message) {
    if (status != TERN_OK)
      return;
    status = s;
    error = std::move(message);
  }
};
thread_local RunState *currentRun = nullptr;

/// The session the hooks use (set when the first program loads).
Session *hookSession = nullptr;

void *allocHook(int64_t bytes) {
  RunState *run = currentRun;
  Session *s = hookSession;
  if (bytes < 0) {
    if (run)
      run->record(TERN_ERROR_DEVICE, "asked for " + std::to_string(bytes) +
                                         " bytes of GPU memory");
    return reinterpret_cast<void *>(s->scratch);
  }
  CUdeviceptr pointer = 0;
  if (CUresult r = s->allocate(size_t(bytes), pointer); r != CUDA_SUCCESS) {
    if (run)
      run->record(r == CUDA_ERROR_OUT_OF_MEMORY ? TERN_ERROR_OUT_OF_MEMORY
                                                : TERN_ERROR_DEVICE,
                  "out of GPU memory allocating " + std::to_string(bytes) +
                      " bytes: " + s->driver.describe("cuMemAlloc_v2", r));
    return reinterpret_cast<void *>(s->scratch);
  }
  return reinterpret_cast<void *>(pointer);
}

void freeHook(void *pointer) {
  CUdeviceptr p = reinterpret_cast<CUdeviceptr>(pointer);
  Session *s = hookSession;
  if (!p || p == s->scratch)
    return;
  if (!s->release(p) && currentRun)
    currentRun->record(TERN_ERROR_DEVICE,
                       "freed GPU memory the runtime did not allocate");
}

/// A launch dimension (a uint32 in cuLaunchKernel), or false.
bool dimension(int64_t value, int64_t least, unsigned &out) {
  if (value < least || value > int64_t(std::numeric_limits<unsigned>::max()))
    return false;
  out = unsigned(value);
  return true;
}

void launchHook(void *function, int64_t gridX, int64_t gridY, int64_t gridZ,
                int64_t blockX, int64_t blockY, int64_t blockZ,
                int64_t sharedBytes, void **params) {
  RunState *run = currentRun;
  if (run && run->status != TERN_OK)
    return; // after a failure: nothing more runs
  auto *f = static_cast<CUfunction>(function);
  auto name = [&] {
    return run ? "kernel '" + run->program->kernelName(f) + "'"
               : std::string("a kernel");
  };
  // Nothing to do (an empty loop of a generic kernel, e.g. no tokens).
  if (gridX == 0 || gridY == 0 || gridZ == 0)
    return;
  unsigned g[3], b[3], shared;
  if (!dimension(gridX, 1, g[0]) || !dimension(gridY, 1, g[1]) ||
      !dimension(gridZ, 1, g[2]) || !dimension(blockX, 1, b[0]) ||
      !dimension(blockY, 1, b[1]) || !dimension(blockZ, 1, b[2]) ||
      !dimension(sharedBytes, 0, shared)) {
    if (run)
      run->record(TERN_ERROR_DEVICE,
                  name() + ": bad launch shape grid=" + std::to_string(gridX) +
                      "," + std::to_string(gridY) + "," +
                      std::to_string(gridZ) +
                      " block=" + std::to_string(blockX) + "," +
                      std::to_string(blockY) + "," + std::to_string(blockZ) +
                      " shared=" + std::to_string(sharedBytes));
    return;
  }
  const Driver &d = hookSession->driver;
  CUresult r = d.cuLaunchKernel(f, g[0], g[1], g[2], b[0], b[1], b[2], shared,
                                nullptr, params, nullptr);
  if (r != CUDA_SUCCESS && run)
    run->record(TERN_ERROR_DEVICE,
                name() + ": " + d.describe("cuLaunchKernel", r));
}

/// Sets and clears the thread's current run.
struct RunScope {
  explicit RunScope(RunState &state) { currentRun = &state; }
  ~RunScope() { currentRun = nullptr; }
};


/// The size of the data symbol at `address` when the library's symbol table
/// gives one, else 0.
size_t symbolSize(const void *address) {
  Dl_info info;
  void *entry = nullptr;
  if (!dladdr1(address, &info, &entry, RTLD_DL_SYMENT) || !entry ||
      info.dli_saddr != address)
    return 0;
  return size_t(static_cast<const ElfW(Sym) *>(entry)->st_size);
}

uint64_t readLength(const unsigned char *blob) {
  uint64_t size = 0;
  for (int i = 7; i >= 0; --i)
    size = (size << 8) | blob[i];
  return size;
}

/// Compute capability as major * 10 + minor, from "sm_<digits>".
int archNumber(const std::string &arch) { return std::atoi(arch.c_str() + 3); }

} // namespace

//===----------------------------------------------------------------------===//
// Program
//===----------------------------------------------------------------------===//

tern_status Program::load(void *library, const std::string &path,
                          const ArtifactMetadata &metadata,
                          const void *hostWeights,
                          std::unique_ptr<Program> &out, std::string &error) {
  auto invalid = [&](const std::string &what) {
    error = path + ": not a valid CUDA artifact: " + what;
    return TERN_ERROR_INVALID_ARTIFACT;
  };
  auto symbol = [&](const char *name) { return dlsym(library, name); };

  // The artifact's own parts first: a damaged artifact is reported as such
  // on any machine, GPU or not.
  auto *ptx = static_cast<const unsigned char *>(symbol(kGpuPtxSymbol));
  if (!ptx)
    return invalid(std::string("no ") + kGpuPtxSymbol);
  uint64_t ptxBytes = readLength(ptx);
  size_t ptxSymbolBytes = symbolSize(ptx);
  if (ptxBytes == 0 ||
      (ptxSymbolBytes &&
       (ptxSymbolBytes < 8 || ptxBytes > ptxSymbolBytes - 8)) ||
      ptx[8 + ptxBytes - 1] != '\0')
    return invalid(std::string(kGpuPtxSymbol) +
                   " is not NUL-terminated text of its recorded length");
  auto *kernels = static_cast<const unsigned char *>(symbol(kGpuKernelsSymbol));
  if (!kernels)
    return invalid(std::string("no ") + kGpuKernelsSymbol);
  uint64_t kernelBytes = readLength(kernels);
  size_t kernelSymbolBytes = symbolSize(kernels);
  if ((kernelSymbolBytes &&
       (kernelSymbolBytes < 8 || kernelBytes > kernelSymbolBytes - 8)) ||
      (kernelBytes && kernels[8 + kernelBytes - 1] != '\0'))
    return invalid(std::string(kGpuKernelsSymbol) +
                   " is not NUL-terminated names of its recorded length");
  auto program = std::unique_ptr<Program>(new Program());
  program->path = path;
  for (uint64_t i = 0; i < kernelBytes;) {
    const char *name = reinterpret_cast<const char *>(kernels + 8 + i);
    size_t length = std::strlen(name);
    if (length == 0)
      return invalid(std::string(kGpuKernelsSymbol) + " has an empty name");
    program->kernelNames.emplace_back(name, length);
    i += length + 1;
  }
  struct Slot {
    const char *name;
    void **&slot;
  } slots[] = {{kGpuFunctionsSymbol, program->functionSlots},
               {kGpuLaunchSymbol, program->launchSlot},
               {kGpuAllocSymbol, program->allocSlot},
               {kGpuFreeSymbol, program->freeSlot}};
  for (Slot &s : slots)
    if (!(s.slot = static_cast<void **>(symbol(s.name))))
      return invalid(std::string("no ") + s.name);
  if (size_t bytes = symbolSize(program->functionSlots);
      bytes && bytes < program->kernelNames.size() * sizeof(void *))
    return invalid(std::string(kGpuFunctionsSymbol) + " has room for " +
                   std::to_string(bytes / sizeof(void *)) + " kernels, " +
                   kGpuKernelsSymbol + " names " +
                   std::to_string(program->kernelNames.size()));

  // The GPU: there, and new enough.
  Session *session = Session::get(error);
  if (!session) {
    error = path + ": " + error;
    return TERN_ERROR_DEVICE;
  }
  program->session = session;
  const DeviceInfo &gpu = session->info;
  if (gpu.major * 10 + gpu.minor < archNumber(metadata.gpuArch)) {
    std::string arch =
        "sm_" + std::to_string(gpu.major) + std::to_string(gpu.minor);
    error = path + ": built for " + metadata.gpuArch + "; GPU " +
            std::to_string(gpu.ordinal) + " (" + gpu.name + ") is " + arch +
            " (rebuild for " + arch +
            ", or choose another GPU with TERN_CUDA_DEVICE)";
    return TERN_ERROR_DEVICE;
  }
  if (!session->enter(error)) {
    error = path + ": " + error;
    return TERN_ERROR_DEVICE;
  }
  const Driver &d = session->driver;

  // The module, with the JIT's error log in the message when it fails.
  char log[8192] = {};
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSizeBytes};
  void *values[] = {log, reinterpret_cast<void *>(uintptr_t(sizeof(log)))};
  if (CUresult r =
          d.cuModuleLoadDataEx(&program->module, ptx + 8, 2, options, values);
      r != CUDA_SUCCESS) {
    program->module = nullptr;
    std::string text(log, strnlen(log, sizeof(log)));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
      text.pop_back();
    error = path + ": the GPU driver rejected the artifact's PTX: " +
            d.describe("cuModuleLoadDataEx", r) +
            (text.empty() ? "" : "\n" + text);
    return TERN_ERROR_DEVICE;
  }
  // From here on, the destructor undoes what is done.
  session->programLoaded();
  for (const std::string &name : program->kernelNames) {
    CUfunction f = nullptr;
    if (CUresult r = d.cuModuleGetFunction(&f, program->module, name.c_str());
        r != CUDA_SUCCESS) {
      error = path + ": kernel '" + name + "' is not in the artifact's PTX (" +
              d.describe("cuModuleGetFunction", r) + ")";
      program.reset();
      return TERN_ERROR_INVALID_ARTIFACT;
    }
    program->functions.push_back(f);
  }
  size_t errorBytes = 0;
  if (CUresult r = d.cuModuleGetGlobal_v2(&program->errorWord, &errorBytes,
                                          program->module, kGpuErrorSymbol);
      r != CUDA_SUCCESS || errorBytes != sizeof(int32_t)) {
    program.reset();
    return invalid(std::string("the PTX has no 4-byte global ") +
                   kGpuErrorSymbol);
  }

  // The weights, uploaded once.
  program->weightsBytes = metadata.weightsBytes;
  if (metadata.weightsBytes > 0) {
    if (CUresult r = d.cuMemAlloc_v2(&program->weights, metadata.weightsBytes);
        r != CUDA_SUCCESS) {
      program->weights = 0;
      error = path + ": no GPU memory for the " +
              std::to_string(metadata.weightsBytes) +
              " bytes of weights: " + d.describe("cuMemAlloc_v2", r);
      program.reset();
      return r == CUDA_ERROR_OUT_OF_MEMORY ? TERN_ERROR_OUT_OF_MEMORY
                                           : TERN_ERROR_DEVICE;
    }
    if (CUresult r = d.cuMemcpyHtoD_v2(program->weights, hostWeights,
                                       metadata.weightsBytes);
        r != CUDA_SUCCESS) {
      error =
          path + ": uploading the weights: " + d.describe("cuMemcpyHtoD_v2", r);
      program.reset();
      return TERN_ERROR_DEVICE;
    }
  }
  // Host-visible slots for the rank-0 inputs the host code reads.
  for (const FunctionSignature &f : metadata.functions)
    program->scalarSlotCount =
        std::max(program->scalarSlotCount, f.inputs.size());
  if (program->scalarSlotCount) {
    void *slots = nullptr;
    if (CUresult r = d.cuMemAllocHost_v2(
            &slots, program->scalarSlotCount * kScalarSlotBytes);
        r != CUDA_SUCCESS) {
      error = path + ": no page-locked host memory: " +
              d.describe("cuMemAllocHost_v2", r);
      program.reset();
      return TERN_ERROR_DEVICE;
    }
    program->scalarSlots = static_cast<char *>(slots);
  }
  hookSession = session;
  program->install();
  out = std::move(program);
  return TERN_OK;
}

Program::~Program() {
  if (!module)
    return; // load() failed before anything was made
  std::string ignored;
  session->enter(ignored);
  const Driver &d = session->driver;
  d.cuCtxSynchronize();
  d.cuModuleUnload(module);
  if (weights)
    d.cuMemFree_v2(weights);
  if (scalarSlots)
    d.cuMemFreeHost(scalarSlots);
  session->programFreed();
}

void Program::install() const {
  for (size_t i = 0; i < functions.size(); ++i)
    functionSlots[i] = functions[i];
  *launchSlot = reinterpret_cast<void *>(&launchHook);
  *allocSlot = reinterpret_cast<void *>(&allocHook);
  *freeSlot = reinterpret_cast<void *>(&freeHook);
}

const std::string &Program::kernelName(CUfunction function) const {
  static const std::string unknown = "?";
  for (size_t i = 0; i < functions.size(); ++i)
    if (functions[i] == function)
      return kernelNames[i];
  return unknown;
}

tern_status Program::run(const FunctionSignature &f, void (*entry)(void **),
                         tern_tensor *const *inputs, tern_tensor **results,
                         int32_t &deviceError, std::string &error) {
  Session &s = *session;
  const Driver &d = s.driver;
  deviceError = 0;
  for (size_t r = 0; r < f.results.size(); ++r)
    results[r] = nullptr;
  if (!s.enter(error))
    return TERN_ERROR_DEVICE;
  install();

  // Inputs: a device copy each, uploaded when the host side is newer.
  std::vector<const void *> inputData;
  for (size_t i = 0; i < f.inputs.size(); ++i) {
    tern_tensor &t = *inputs[i];
    // A rank-0 input: host code reads it, so it goes in a page-locked slot
    // (the previous call's kernels are done: its results were downloaded).
    if (t.shape.empty() && t.bytes <= kScalarSlotBytes &&
        i < scalarSlotCount) {
      char *slot = scalarSlots + i * kScalarSlotBytes;
      std::memcpy(slot, t.data, t.bytes);
      inputData.push_back(slot);
      continue;
    }
    if (!t.devicePointer) {
      if (CUresult r = s.allocate(t.bytes, t.devicePointer);
          r != CUDA_SUCCESS) {
        t.devicePointer = 0;
        error = "'" + f.name + "': no GPU memory for input #" +
                std::to_string(i) + " (" + std::to_string(t.bytes) +
                " bytes): " + d.describe("cuMemAlloc_v2", r);
        return r == CUDA_ERROR_OUT_OF_MEMORY ? TERN_ERROR_OUT_OF_MEMORY
                                             : TERN_ERROR_DEVICE;
      }
      t.deviceCurrent = false;
    }
    if (!t.deviceCurrent && t.bytes) {
      if (CUresult r = d.cuMemcpyHtoD_v2(t.devicePointer, t.data, t.bytes);
          r != CUDA_SUCCESS) {
        error = "'" + f.name + "': uploading input #" + std::to_string(i) +
                ": " + d.describe("cuMemcpyHtoD_v2", r);
        return TERN_ERROR_DEVICE;
      }
    }
    // Current from here on: the entry point may write it in place.
    t.deviceCurrent = true;
    inputData.push_back(reinterpret_cast<const void *>(t.devicePointer));
  }

  runtime::EntryCall call(f, reinterpret_cast<const void *>(weights),
                          weightsBytes, inputs, inputData);
  RunState state;
  state.program = this;
  {
    RunScope scope(state);
    call(entry);
  }

  // The result blocks go back to the allocator once copied, except those
  // that are an input's device copy (returned in place).
  std::unordered_set<CUdeviceptr> mirrors, released;
  for (size_t i = 0; i < f.inputs.size(); ++i)
    mirrors.insert(inputs[i]->devicePointer);
  auto releaseResults = [&] {
    for (size_t r = 0; r < f.results.size(); ++r) {
      auto block = CUdeviceptr(call.result(r)[0]);
      if (!mirrors.count(block) && released.insert(block).second &&
          block != s.scratch)
        s.release(block);
    }
  };
  if (state.status != TERN_OK) {
    releaseResults();
    error = "'" + f.name + "': " + state.error;
    return state.status;
  }
  // This copy waits for every kernel, so a fault surfaces here.
  int32_t word = 0;
  if (CUresult r = d.cuMemcpyDtoH_v2(&word, errorWord, sizeof(word));
      r != CUDA_SUCCESS) {
    releaseResults();
    error = "'" + f.name +
            "' failed on the GPU: " + d.describe("cuMemcpyDtoH_v2", r);
    return TERN_ERROR_DEVICE;
  }
  if (word != 0) {
    int32_t zero = 0;
    d.cuMemcpyHtoD_v2(errorWord, &zero, sizeof(zero));
    releaseResults();
    deviceError = word;
    return TERN_OK;
  }

  tern_status status = TERN_OK;
  for (size_t r = 0; r < f.results.size() && status == TERN_OK; ++r) {
    const TensorSignature &sig = f.results[r];
    const int64_t *desc = call.result(r);
    size_t rank = sig.shape.size();
    tern_tensor *t = nullptr;
    status =
        tern_tensor_create(tern_dtype(sig.dtype), rank, desc + 3, nullptr, &t);
    if (status != TERN_OK) {
      error = "'" + f.name + "': result #" + std::to_string(r) + ": " +
              tern_last_error();
      break;
    }
    results[r] = t;
    CUdeviceptr source =
        CUdeviceptr(desc[1]) + CUdeviceptr(desc[2]) * dtypeBytes(sig.dtype);
    if (t->bytes == 0)
      continue;
    if (CUresult e = d.cuMemcpyDtoH_v2(t->data, source, t->bytes);
        e != CUDA_SUCCESS) {
      error = "'" + f.name + "': downloading result #" + std::to_string(r) +
              ": " + d.describe("cuMemcpyDtoH_v2", e);
      status = TERN_ERROR_DEVICE;
    }
  }
  releaseResults();
  if (status != TERN_OK)
    for (size_t r = 0; r < f.results.size(); ++r) {
      tern_tensor_free(results[r]);
      results[r] = nullptr;
    }
  return status;
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

bool tern::cuda::measureCopyBandwidth(double &gigabytesPerSecond,
                                      std::string &error) {
  Session *s = Session::get(error);
  if (!s || !s->enter(error))
    return false;
  const Driver &d = s->driver;
  constexpr size_t kBytes = size_t(256) << 20;
  CUdeviceptr from = 0, to = 0;
  if (CUresult r = s->allocate(kBytes, from); r != CUDA_SUCCESS) {
    error = "copy bandwidth: " + d.describe("cuMemAlloc_v2", r);
    return false;
  }
  if (CUresult r = s->allocate(kBytes, to); r != CUDA_SUCCESS) {
    s->release(from);
    error = "copy bandwidth: " + d.describe("cuMemAlloc_v2", r);
    return false;
  }
  double best = 0;
  for (int i = 0; i < 6 && error.empty(); ++i) {
    auto start = std::chrono::steady_clock::now();
    CUresult r = d.cuMemcpyDtoD_v2(to, from, kBytes);
    if (r == CUDA_SUCCESS)
      r = d.cuCtxSynchronize();
    if (r != CUDA_SUCCESS) {
      error = "copy bandwidth: " + d.describe("cuMemcpyDtoD_v2", r);
      break;
    }
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    // The first copy warms up the driver and the memory.
    if (i > 0 && seconds > 0)
      best = std::max(best, 2.0 * double(kBytes) / seconds * 1e-9);
  }
  s->release(from);
  s->release(to);
  gigabytesPerSecond = best;
  return error.empty();
}

bool tern::cuda::memoryUsed(uint64_t &bytes, std::string &error) {
  Session *s = Session::get(error);
  if (!s || !s->enter(error))
    return false;
  size_t free = 0, total = 0;
  if (CUresult r = s->driver.cuMemGetInfo_v2(&free, &total);
      r != CUDA_SUCCESS) {
    error = s->driver.describe("cuMemGetInfo_v2", r);
    return false;
  }
  bytes = total - free;
  return true;
}

bool tern::cuda::downloadTensor(tern_tensor &t, std::string &error) {
  // A device copy exists only once a session does.
  Session *s = Session::get(error);
  if (!s || !s->enter(error))
    return false;
  if (t.bytes)
    if (CUresult r =
            s->driver.cuMemcpyDtoH_v2(t.data, t.devicePointer, t.bytes);
        r != CUDA_SUCCESS) {
      error = "downloading a tensor from the GPU: " +
              s->driver.describe("cuMemcpyDtoH_v2", r);
      return false;
    }
  t.deviceCurrent = false;
  return true;
}

void tern::cuda::releaseTensor(tern_tensor &t) {
  std::string ignored;
  if (Session *s = Session::get(ignored); s && s->enter(ignored))
    s->release(t.devicePointer);
  t.devicePointer = 0;
  t.deviceCurrent = false;
}
