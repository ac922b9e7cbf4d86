//===- Runtime.cpp - The Tern runtime -------------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Implements tern-c/runtime.h. An artifact is a shared library (see
// tern/Support/Artifact.h): loading it dlopens the library, parses and checks
// its header, checks the CPU features, maps or finds the weights and verifies
// their checksum, and installs the thread pool behind __tern_parallel_for.
// Running an entry point builds MLIR memref descriptors for the weights and
// the inputs, calls __tern_entry_<name>, and adopts the result buffers (which
// the generated code allocated with malloc and hands over). CUDA artifacts
// (a `gpu` header record) load and run their device side through
// CudaRuntime.h.
//
//===----------------------------------------------------------------------===//
#include "tern-c/runtime.h"

#include "CudaDriver.h"
#include "CudaRuntime.h"
#include "Tensor.h"
#include "ThreadPool.h"
#include "tern/Support/Artifact.h"
#include "tern/Support/CpuFeatures.h"
#include "tern/Support/Tokenizer.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <limits>
#include <malloc.h>
#include <memory>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using tern::ArtifactMetadata;
using tern::DType;
using tern::FunctionSignature;
using tern::TensorSignature;

struct tern_artifact {
  std::string path;
  void *library = nullptr;
  ArtifactMetadata metadata;
  const char *weights = nullptr;
  void *mapping = nullptr; // external weights
  size_t mappingBytes = 0;
  std::vector<void (*)(void **)> entries; // parallel to metadata.functions
  int32_t *errorWord = nullptr;           // __tern_error, when present
  std::unique_ptr<tern::Tokenizer> tokenizer; // parsed on first use
  std::unique_ptr<tern::cuda::Program> gpu;   // CUDA artifacts

  ~tern_artifact() {
    gpu.reset(); // before its library goes
    if (mapping)
      munmap(mapping, mappingBytes);
    if (library)
      dlclose(library);
  }
};

namespace {

thread_local std::string lastError;

tern_status fail(tern_status status, std::string message) {
  lastError = std::move(message);
  return status;
}

std::string formatSignature(const TensorSignature &t) {
  std::string s = tern::toString(t.dtype);
  s += "[";
  for (size_t i = 0; i < t.shape.size(); ++i) {
    if (i)
      s += ", ";
    s += t.shape[i] < 0 ? "?" : std::to_string(t.shape[i]);
  }
  return s + "]";
}

std::string formatTensor(const tern_tensor &t) {
  TensorSignature sig{t.dtype, t.shape};
  return formatSignature(sig);
}

std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

/// `bytes` (a multiple of 2 MiB) of anonymous memory aligned to and advised
/// for 2 MiB transparent huge pages, or null. Every generated token streams
/// all the weights: with 4 KiB file pages that is a TLB miss and a page walk
/// every 64 cache lines, which measured 10-30% slower decode than huge pages
/// on the 2B4T shape.
char *mapHugePages(size_t bytes) {
  constexpr size_t kHuge = size_t(2) << 20;
  void *raw = mmap(nullptr, bytes + kHuge, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED)
    return nullptr;
  // Keep the 2 MiB-aligned `bytes` and return the slack on both sides.
  uintptr_t start = (uintptr_t(raw) + kHuge - 1) & ~uintptr_t(kHuge - 1);
  size_t head = start - uintptr_t(raw);
  if (head)
    munmap(raw, head);
  if (size_t tail = kHuge - head)
    munmap(reinterpret_cast<char *>(start) + bytes, tail);
  char *buffer = reinterpret_cast<char *>(start);
  madvise(buffer, bytes, MADV_HUGEPAGE); // a hint: fine if THP is off
  return buffer;
}

/// Loads the external weights file, refusing names that leave the
/// artifact's directory.
tern_status mapExternalWeights(tern_artifact &a) {
  const std::string &name = a.metadata.weightsFile;
  if (name.empty() || name.find('/') != std::string::npos || name == "." ||
      name == "..")
    return fail(TERN_ERROR_INVALID_ARTIFACT,
                a.path + ": weights file name '" + name +
                    "' must be a plain file name beside the artifact");
  std::string path = directoryOf(a.path) + "/" + name;
  struct stat linkInfo;
  if (lstat(path.c_str(), &linkInfo) == 0 && S_ISLNK(linkInfo.st_mode))
    return fail(TERN_ERROR_WEIGHTS,
                path + ": the weights file is a symbolic link, refused");
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(TERN_ERROR_WEIGHTS, path + ": cannot open the weights file: " +
                                        std::strerror(errno));
  struct stat info;
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    return fail(TERN_ERROR_WEIGHTS, path + ": not a regular file");
  }
  if (uint64_t(info.st_size) != a.metadata.weightsBytes) {
    close(fd);
    return fail(TERN_ERROR_WEIGHTS,
                path + ": the weights file has " +
                    std::to_string(info.st_size) + " bytes, the artifact expects " +
                    std::to_string(a.metadata.weightsBytes) +
                    (uint64_t(info.st_size) < a.metadata.weightsBytes
                         ? " (truncated)"
                         : ""));
  }
  // The weights are read into huge pages, or (TERN_WEIGHTS_MMAP set, or no
  // memory for a copy) the file is mapped.
  const size_t hugeBytes = (a.metadata.weightsBytes + (size_t(2) << 20) - 1) &
                           ~((size_t(2) << 20) - 1);
  char *buffer = a.metadata.weightsBytes > 0 && !std::getenv("TERN_WEIGHTS_MMAP")
                     ? mapHugePages(hugeBytes)
                     : nullptr;
  if (buffer) {
    for (size_t done = 0; done < a.metadata.weightsBytes;) {
      ssize_t got = pread(fd, buffer + done, a.metadata.weightsBytes - done,
                          off_t(done));
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0) {
        std::string why = got < 0 ? std::strerror(errno) : "unexpected end of file";
        munmap(buffer, hugeBytes);
        close(fd);
        return fail(TERN_ERROR_WEIGHTS,
                    path + ": reading the weights failed at byte " +
                        std::to_string(done) + ": " + why);
      }
      done += size_t(got);
    }
    mprotect(buffer, hugeBytes, PROT_READ);
    a.mapping = buffer;
    a.mappingBytes = hugeBytes;
    a.weights = buffer;
  } else if (a.metadata.weightsBytes > 0) {
    void *map = mmap(nullptr, a.metadata.weightsBytes, PROT_READ, MAP_PRIVATE,
                     fd, 0);
    if (map == MAP_FAILED) {
      close(fd);
      return fail(TERN_ERROR_WEIGHTS,
                  path + ": mmap failed: " + std::strerror(errno));
    }
    a.mapping = map;
    a.mappingBytes = a.metadata.weightsBytes;
    a.weights = static_cast<const char *>(map);
  }
  close(fd);
  return TERN_OK;
}

/// dlopen maps an ELF file's segments as they claim to be; a truncated file
/// then faults on first touch. Check the headers against the file size first
/// (tern::checkElfImage).
bool checkElfFile(const std::string &path, size_t size, std::string &error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  bool ok = tern::checkElfImage(
      [&](void *buffer, size_t bytes, uint64_t offset) {
        return pread(fd, buffer, bytes, off_t(offset)) == ssize_t(bytes);
      },
      size, error);
  close(fd);
  return ok;
}

tern_status loadArtifact(const char *path, std::unique_ptr<tern_artifact> &a) {
  a = std::make_unique<tern_artifact>();
  a->path = path;
  struct stat info;
  if (stat(path, &info) != 0)
    return fail(TERN_ERROR_IO,
                std::string(path) + ": cannot open: " + std::strerror(errno));
  std::string elfError;
  if (!S_ISREG(info.st_mode))
    return fail(TERN_ERROR_IO, std::string(path) + ": not a regular file");
  if (!checkElfFile(path, size_t(info.st_size), elfError))
    return fail(TERN_ERROR_INVALID_ARTIFACT,
                std::string(path) + ": cannot load the artifact: " + elfError);
  // dlopen searches the library path for a name without a slash.
  std::string loadPath = std::strchr(path, '/') ? path : "./" + std::string(path);
  a->library = dlopen(loadPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!a->library)
    return fail(TERN_ERROR_INVALID_ARTIFACT,
                std::string(path) + ": cannot load the artifact: " + dlerror());
  auto *header = static_cast<const char *>(dlsym(a->library, tern::kMetadataSymbol));
  if (!header)
    return fail(TERN_ERROR_INVALID_ARTIFACT,
                std::string(path) + ": not a Tern artifact (no " +
                    tern::kMetadataSymbol + " symbol)");
  std::string error;
  if (!ArtifactMetadata::parse(header, a->metadata, error)) {
    bool version = error.find("format version") != std::string::npos;
    return fail(version ? TERN_ERROR_VERSION : TERN_ERROR_INVALID_ARTIFACT,
                std::string(path) + ": " + error);
  }
  // TERN_DISABLE_CPU_FEATURES=a,b makes the runtime treat features as
  // absent: a way to test what a smaller CPU would do.
  std::string disabled =
      std::getenv("TERN_DISABLE_CPU_FEATURES")
          ? "," + std::string(std::getenv("TERN_DISABLE_CPU_FEATURES")) + ","
          : "";
  std::string missing;
  for (const std::string &feature : a->metadata.features)
    if (!tern::hostHasCpuFeature(feature) ||
        disabled.find("," + feature + ",") != std::string::npos)
      missing += (missing.empty() ? "" : ", ") + feature;
  if (!missing.empty())
    return fail(TERN_ERROR_CPU_FEATURES,
                std::string(path) + ": built for a CPU with " + missing +
                    ", which this CPU lacks (rebuild with --mcpu/--mattr for "
                    "this machine)");

  if (a->metadata.weightsExternal) {
    if (tern_status s = mapExternalWeights(*a); s != TERN_OK)
      return s;
  } else if (a->metadata.weightsBytes > 0) {
    a->weights = static_cast<const char *>(dlsym(a->library, tern::kWeightsSymbol));
    if (!a->weights)
      return fail(TERN_ERROR_WEIGHTS, std::string(path) +
                                          ": the embedded weights are missing");
  }
  uint64_t hash = tern::hashWeights(a->weights, a->metadata.weightsBytes);
  if (hash != a->metadata.weightsHash)
    return fail(TERN_ERROR_WEIGHTS,
                (a->metadata.weightsExternal
                     ? directoryOf(a->path) + "/" + a->metadata.weightsFile
                     : std::string(path)) +
                    ": weights checksum mismatch (the weights are corrupt or "
                    "belong to another build)");

  for (const FunctionSignature &f : a->metadata.functions) {
    void *entry = dlsym(a->library, (tern::kEntryPrefix + f.name).c_str());
    if (!entry)
      return fail(TERN_ERROR_INVALID_ARTIFACT,
                  std::string(path) + ": entry point '" + f.name +
                      "' is declared but missing");
    a->entries.push_back(reinterpret_cast<void (*)(void **)>(entry));
  }
  a->errorWord = static_cast<int32_t *>(dlsym(a->library, tern::kErrorSymbol));
  if (auto *hook = static_cast<void **>(dlsym(a->library, tern::kParallelForSymbol)))
    *hook = reinterpret_cast<void *>(&tern::runtime::parallelForHook);
  if (!a->metadata.gpuArch.empty())
    if (tern_status s = tern::cuda::Program::load(a->library, a->path,
                                                  a->metadata, a->weights,
                                                  a->gpu, error);
        s != TERN_OK)
      return fail(s, error);
  return TERN_OK;
}

const FunctionSignature *findFunction(const tern_artifact *a, const char *name,
                                      size_t *index = nullptr) {
  if (!a || !name)
    return nullptr;
  for (size_t i = 0; i < a->metadata.functions.size(); ++i)
    if (a->metadata.functions[i].name == name) {
      if (index)
        *index = i;
      return &a->metadata.functions[i];
    }
  return nullptr;
}

/// Fails a call whose entry point set __tern_error (on the host or the
/// GPU) to `code`.
tern_status reportRuntimeError(const FunctionSignature &f, int32_t code) {
  if (code == int32_t(tern::RuntimeError::PositionOutOfRange))
    return fail(TERN_ERROR_INVALID_ARGUMENT,
                "'" + f.name +
                    "': the tokens do not fit the KV cache at the given "
                    "position (negative, or past the cache's capacity)");
  return fail(TERN_ERROR_INVALID_ARGUMENT,
              "'" + f.name + "' reported error " + std::to_string(code));
}

} // namespace

extern "C" {

const char *tern_last_error(void) { return lastError.c_str(); }

tern_status tern_cuda_devices(const char **text) {
  if (!text)
    return fail(TERN_ERROR_INVALID_ARGUMENT, "tern_cuda_devices: null text");
  thread_local std::string listing;
  std::vector<tern::cuda::DeviceInfo> devices;
  std::string error;
  if (!tern::cuda::listDevices(devices, error))
    return fail(TERN_ERROR_DEVICE, error);
  listing.clear();
  for (const tern::cuda::DeviceInfo &d : devices) {
    char memory[32];
    std::snprintf(memory, sizeof(memory), "%.1f",
                  double(d.memoryBytes) / double(1ull << 30));
    listing += std::to_string(d.ordinal) + ": " + d.name + ", sm_" +
               std::to_string(d.major) + std::to_string(d.minor) + ", " +
               memory + " GiB\n";
  }
  *text = listing.c_str();
  return TERN_OK;
}

tern_status tern_cuda_copy_bandwidth(double *gigabytesPerSecond) {
  if (!gigabytesPerSecond)
    return fail(TERN_ERROR_INVALID_ARGUMENT, "tern_cuda_copy_bandwidth: null");
  std::string error;
  if (!tern::cuda::measureCopyBandwidth(*gigabytesPerSecond, error))
    return fail(TERN_ERROR_DEVICE, error);
  return TERN_OK;
}

tern_status tern_cuda_memory_used(uint64_t *bytes) {
  if (!bytes)
    return fail(TERN_ERROR_INVALID_ARGUMENT, "tern_cuda_memory_used: null");
  std::string error;
  if (!tern::cuda::memoryUsed(*bytes, error))
    return fail(TERN_ERROR_DEVICE, error);
  return TERN_OK;
}

const char *tern_artifact_gpu_arch(const tern_artifact *a) {
  return a && !a->metadata.gpuArch.empty() ? a->metadata.gpuArch.c_str()
                                           : nullptr;
}

/// Generated code allocates its intermediate buffers (megabytes in a
/// prefill) with malloc and frees them at the end of each call. With glibc's
/// defaults, each call's buffers come from fresh mmaps or a trimmed heap, so
/// every page faults again: a quarter of a 2B4T prefill went to the kernel's
/// page-fault path. Keeping freed memory in the process (no trimming, heap
/// rather than mmap up to glibc's 32 MiB ceiling) makes the next call reuse
/// it. Applied once, when the first artifact loads; the environment
/// (MALLOC_TRIM_THRESHOLD_ / MALLOC_MMAP_THRESHOLD_) still wins.
static void keepFreedMemory() {
  static bool done = [] {
#ifdef __GLIBC__
    if (!std::getenv("MALLOC_TRIM_THRESHOLD_"))
      mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    if (!std::getenv("MALLOC_MMAP_THRESHOLD_"))
      mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
    return true;
  }();
  (void)done;
}

tern_status tern_artifact_load(const char *path, tern_artifact **out) {
  if (!path || !out)
    return fail(TERN_ERROR_INVALID_ARGUMENT, "null argument");
  keepFreedMemory();
  *out = nullptr;
  std::unique_ptr<tern_artifact> artifact;
  tern_status status = loadArtifact(path, artifact);
  if (status == TERN_OK)
    *out = artifact.release();
  return status;
}

void tern_artifact_free(tern_artifact *artifact) { delete artifact; }

size_t tern_artifact_num_functions(const tern_artifact *a) {
  return a ? a->metadata.functions.size() : 0;
}

const char *tern_artifact_function_name(const tern_artifact *a, size_t index) {
  if (!a || index >= a->metadata.functions.size())
    return nullptr;
  return a->metadata.functions[index].name.c_str();
}

tern_status tern_artifact_function_info(const tern_artifact *a,
                                        const char *function,
                                        size_t *numInputs, size_t *numResults) {
  const FunctionSignature *f = findFunction(a, function);
  if (!f)
    return fail(TERN_ERROR_NOT_FOUND, std::string("no entry point '") +
                                          (function ? function : "") + "'");
  if (numInputs)
    *numInputs = f->inputs.size();
  if (numResults)
    *numResults = f->results.size();
  return TERN_OK;
}

static tern_status tensorInfo(const tern_artifact *a, const char *function,
                              size_t index, bool input, tern_dtype *dtype,
                              size_t *rank, const int64_t **shape) {
  const FunctionSignature *f = findFunction(a, function);
  if (!f)
    return fail(TERN_ERROR_NOT_FOUND, std::string("no entry point '") +
                                          (function ? function : "") + "'");
  const auto &list = input ? f->inputs : f->results;
  if (index >= list.size())
    return fail(TERN_ERROR_INVALID_ARGUMENT,
                "'" + f->name + "' has " + std::to_string(list.size()) +
                    (input ? " inputs" : " results"));
  if (dtype)
    *dtype = tern_dtype(list[index].dtype);
  if (rank)
    *rank = list[index].shape.size();
  if (shape)
    *shape = list[index].shape.data();
  return TERN_OK;
}

tern_status tern_artifact_input_info(const tern_artifact *a,
                                     const char *function, size_t index,
                                     tern_dtype *dtype, size_t *rank,
                                     const int64_t **shape) {
  return tensorInfo(a, function, index, true, dtype, rank, shape);
}

tern_status tern_artifact_result_info(const tern_artifact *a,
                                      const char *function, size_t index,
                                      tern_dtype *dtype, size_t *rank,
                                      const int64_t **shape) {
  return tensorInfo(a, function, index, false, dtype, rank, shape);
}

uint64_t tern_artifact_weights_bytes(const tern_artifact *a) {
  return a ? a->metadata.weightsBytes : 0;
}

int64_t tern_artifact_layer_macs(const tern_artifact *a) {
  return a ? a->metadata.model.layerMacs : 0;
}

/// The artifact's model record (TERN_ERROR_NOT_FOUND when it has none).
static tern_status modelRecord(const tern_artifact *a, const void *out,
                               const tern::ModelMetadata *&record) {
  if (!a || !out)
    return fail(TERN_ERROR_INVALID_ARGUMENT, "null argument");
  if (a->metadata.model.architecture.empty())
    return fail(TERN_ERROR_NOT_FOUND,
                a->path + ": not a language model (no model record)");
  record = &a->metadata.model;
  return TERN_OK;
}

tern_status tern_artifact_model_info(const tern_artifact *a,
                                     tern_model_info *out) {
  const tern::ModelMetadata *record = nullptr;
  if (tern_status s = modelRecord(a, out, record); s != TERN_OK)
    return s;
  const tern::ModelMetadata &m = *record;
  *out = {m.layers, m.kvHeads, m.headDim, m.context, m.vocab, m.bos, m.eos};
  return TERN_OK;
}

tern_status tern_artifact_generation_defaults(const tern_artifact *a,
                                              tern_generation_defaults *out) {
  const tern::ModelMetadata *record = nullptr;
  if (tern_status s = modelRecord(a, out, record); s != TERN_OK)
    return s;
  const tern::ModelMetadata &m = *record;
  *out = {m.hasGeneration ? 1 : 0, m.temperature,  m.topK,
          m.topP,                   m.repeatPenalty, m.maxNewTokens,
          m.stop.data(),            m.stop.size(),  m.chatFormat.c_str()};
  return TERN_OK;
}

static tern_status loadTokenizer(tern_artifact *a) {
  if (a->tokenizer)
    return TERN_OK;
  auto *blob = static_cast<const unsigned char *>(
      dlsym(a->library, tern::kTokenizerSymbol));
  if (!blob)
    return fail(TERN_ERROR_NOT_FOUND, a->path + ": the artifact has no tokenizer");
  uint64_t size = 0;
  for (int i = 7; i >= 0; --i)
    size = (size << 8) | blob[i];
  tern::TokenizerData data;
  std::string error;
  if (!tern::TokenizerData::parse(
          std::string_view(reinterpret_cast<const char *>(blob + 8), size),
          data, error))
    return fail(TERN_ERROR_INVALID_ARTIFACT, a->path + ": " + error);
  a->tokenizer = std::make_unique<tern::Tokenizer>(std::move(data));
  return TERN_OK;
}

tern_status tern_tokenize(tern_artifact *a, const char *text, size_t length,
                          int allowSpecial, int32_t **ids, size_t *count) {
  if (!a || (!text && length) || !ids || !count)
    return fail(TERN_ERROR_INVALID_ARGUMENT, "null argument");
  if (tern_status s = loadTokenizer(a); s != TERN_OK)
    return s;
  std::vector<int32_t> tokens =
      a->tokenizer->encode(std::string_view(text ? text : "", length), allowSpecial);
  *ids = static_cast<int32_t *>(std::malloc(std::max<size_t>(1, tokens.size()) * 4));
  if (!*ids)
    return fail(TERN_ERROR_OUT_OF_MEMORY, "out of memory");
  if (!tokens.empty()) // memcpy from an empty vector's null data is undefined
    std::memcpy(*ids, tokens.data(), tokens.size() * 4);
  *count = tokens.size();
  return TERN_OK;
}

tern_status tern_detokenize(tern_artifact *a, const int32_t *ids, size_t count,
                            char **text, size_t *length) {
  if (!a || (!ids && count) || !text || !length)
    return fail(TERN_ERROR_INVALID_ARGUMENT, "null argument");
  if (tern_status s = loadTokenizer(a); s != TERN_OK)
    return s;
  std::string bytes = a->tokenizer->decode(std::vector<int32_t>(ids, ids + count));
  *text = static_cast<char *>(std::malloc(bytes.size() + 1));
  if (!*text)
    return fail(TERN_ERROR_OUT_OF_MEMORY, "out of memory");
  std::memcpy(*text, bytes.data(), bytes.size());
  (*text)[bytes.size()] = '\0';
  *length = bytes.size();
  return TERN_OK;
}

void tern_free(void *pointer) { std::free(pointer); }

/// A tensor of `dtype` and `shape` without storage yet, in `tensor`.
/// `dtype` is the caller's int: C passes any value for an enum, and loading
/// one outside tern_dtype's range as a tern_dtype is undefined in C++.
static tern_status newTensor(const tern_dtype &dtype, size_t rank,
                             const int64_t *shape, tern_tensor **out,
                             std::unique_ptr<tern_tensor> &tensor) {
  if (!out || (rank && !shape))
    return fail(TERN_ERROR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  int code;
  static_assert(sizeof(code) == sizeof(tern_dtype), "tern_dtype is an int");
  std::memcpy(&code, &dtype, sizeof(code));
  if (code < 0 || code > TERN_BOOL)
    return fail(TERN_ERROR_INVALID_ARGUMENT,
                "unknown dtype " + std::to_string(code));
  tensor = std::make_unique<tern_tensor>();
  tensor->dtype = DType(code);
  size_t count = 1;
  for (size_t i = 0; i < rank; ++i) {
    if (shape[i] < 0)
      return fail(TERN_ERROR_INVALID_ARGUMENT, "negative dimension");
    if (shape[i] &&
        count > std::numeric_limits<size_t>::max() / 64 / size_t(shape[i]))
      return fail(TERN_ERROR_INVALID_ARGUMENT, "tensor too large");
    count *= size_t(shape[i]);
    tensor->shape.push_back(shape[i]);
  }
  tensor->bytes = count * tern::dtypeBytes(tensor->dtype);
  return TERN_OK;
}

tern_status tern_tensor_create(tern_dtype dtype, size_t rank,
                               const int64_t *shape, const void *data,
                               tern_tensor **out) {
  std::unique_ptr<tern_tensor> tensor;
  if (tern_status status = newTensor(dtype, rank, shape, out, tensor))
    return status;
  size_t allocated = ((tensor->bytes + 63) / 64) * 64;
  tensor->allocation = std::aligned_alloc(64, allocated ? allocated : 64);
  if (!tensor->allocation)
    return fail(TERN_ERROR_OUT_OF_MEMORY, "cannot allocate " +
                                              std::to_string(tensor->bytes) +
                                              " bytes");
  tensor->data = tensor->allocation;
  if (data)
    std::memcpy(tensor->data, data, tensor->bytes);
  else
    std::memset(tensor->data, 0, tensor->bytes);
  *out = tensor.release();
  return TERN_OK;
}

tern_status tern_tensor_wrap(tern_dtype dtype, size_t rank,
                             const int64_t *shape, void *data,
                             tern_tensor **out) {
  std::unique_ptr<tern_tensor> tensor;
  if (tern_status status = newTensor(dtype, rank, shape, out, tensor))
    return status;
  if (!data && tensor->bytes)
    return fail(TERN_ERROR_INVALID_ARGUMENT, "null data");
  if (reinterpret_cast<uintptr_t>(data) % 64)
    return fail(TERN_ERROR_INVALID_ARGUMENT,
                "wrapped data must be 64-byte aligned");
  tensor->data = data; // allocation stays null: the caller owns the memory
  *out = tensor.release();
  return TERN_OK;
}

void tern_tensor_free(tern_tensor *tensor) {
  if (!tensor)
    return;
  if (tensor->devicePointer)
    tern::cuda::releaseTensor(*tensor);
  std::free(tensor->allocation);
  delete tensor;
}

tern_dtype tern_tensor_dtype(const tern_tensor *t) {
  return t ? tern_dtype(t->dtype) : TERN_F32;
}
size_t tern_tensor_rank(const tern_tensor *t) { return t ? t->shape.size() : 0; }
const int64_t *tern_tensor_shape(const tern_tensor *t) {
  return t ? t->shape.data() : nullptr;
}
void *tern_tensor_data(tern_tensor *t) {
  if (!t)
    return nullptr;
  if (t->deviceCurrent) {
    std::string error;
    if (!tern::cuda::downloadTensor(*t, error)) {
      fail(TERN_ERROR_DEVICE, error);
      return nullptr;
    }
  }
  return t->data;
}
size_t tern_tensor_size_bytes(const tern_tensor *t) { return t ? t->bytes : 0; }

tern_status tern_run(tern_artifact *a, const char *function,
                     tern_tensor *const *inputs, size_t numInputs,
                     tern_tensor **results, size_t numResults) {
  size_t index;
  const FunctionSignature *f = findFunction(a, function, &index);
  if (!f)
    return fail(TERN_ERROR_NOT_FOUND,
                std::string("the artifact has no entry point '") +
                    (function ? function : "") + "'");
  if (numInputs != f->inputs.size() || numResults != f->results.size())
    return fail(TERN_ERROR_INVALID_ARGUMENT,
                "'" + f->name + "' takes " + std::to_string(f->inputs.size()) +
                    " inputs and returns " + std::to_string(f->results.size()) +
                    " results, got " + std::to_string(numInputs) + " and " +
                    std::to_string(numResults));
  if ((numInputs && !inputs) || (numResults && !results))
    return fail(TERN_ERROR_INVALID_ARGUMENT, "null argument");
  for (size_t i = 0; i < numInputs; ++i) {
    const tern_tensor *t = inputs[i];
    const TensorSignature &want = f->inputs[i];
    bool ok = t && t->dtype == want.dtype && t->shape.size() == want.shape.size();
    for (size_t d = 0; ok && d < want.shape.size(); ++d)
      ok = want.shape[d] < 0 || want.shape[d] == t->shape[d];
    if (!ok)
      return fail(TERN_ERROR_INVALID_ARGUMENT,
                  "input #" + std::to_string(i) + " of '" + f->name +
                      "' must be " + formatSignature(want) + ", got " +
                      (t ? formatTensor(*t) : std::string("null")));
  }

  if (a->gpu) {
    int32_t deviceError = 0;
    std::string error;
    if (tern_status s = a->gpu->run(*f, a->entries[index], inputs, results,
                                    deviceError, error);
        s != TERN_OK)
      return fail(s, error);
    return deviceError ? reportRuntimeError(*f, deviceError) : TERN_OK;
  }

  // An input the GPU wrote last is downloaded first.
  std::vector<const void *> inputData;
  for (size_t i = 0; i < numInputs; ++i) {
    if (!tern_tensor_data(inputs[i]))
      return TERN_ERROR_DEVICE;
    inputData.push_back(inputs[i]->data);
  }
  tern::runtime::EntryCall call(*f, a->weights, a->metadata.weightsBytes,
                                inputs, inputData);
  call(a->entries[index]);
  int32_t runtimeError = 0;
  if (a->errorWord) {
    runtimeError = *a->errorWord;
    *a->errorWord = 0;
  }

  for (size_t r = 0; r < numResults; ++r) {
    const TensorSignature &sig = f->results[r];
    size_t rank = sig.shape.size();
    const int64_t *d = call.result(r);
    auto tensor = std::make_unique<tern_tensor>();
    tensor->dtype = sig.dtype;
    tensor->shape.assign(d + 3, d + 3 + rank);
    size_t elementBytes = tern::dtypeBytes(sig.dtype);
    size_t count = 1;
    for (int64_t s : tensor->shape)
      count *= size_t(s);
    tensor->bytes = count * elementBytes;
    tensor->allocation = reinterpret_cast<void *>(d[0]);
    tensor->data = reinterpret_cast<char *>(d[1]) + d[2] * elementBytes;
    // An entry point may return one buffer twice; each result must own its
    // memory, so later ones get a copy.
    for (size_t earlier = 0; earlier < r; ++earlier)
      if (results[earlier]->allocation == tensor->allocation) {
        void *copy = std::aligned_alloc(64, ((tensor->bytes + 63) / 64) * 64 + 64);
        if (copy)
          std::memcpy(copy, tensor->data, tensor->bytes);
        tensor->allocation = tensor->data = copy;
        break;
      }
    results[r] = tensor.release();
  }
  if (runtimeError != 0) {
    for (size_t r = 0; r < numResults; ++r) {
      tern_tensor_free(results[r]);
      results[r] = nullptr;
    }
    return reportRuntimeError(*f, runtimeError);
  }
  return TERN_OK;
}

void tern_set_num_threads(int threads) {
  tern::runtime::setGlobalThreads(threads);
}

int tern_get_num_threads(void) {
  return tern::runtime::globalPool().threads();
}

} // extern "C"
