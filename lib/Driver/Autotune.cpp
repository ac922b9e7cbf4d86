//===- Autotune.cpp - Choosing weight layouts by timing them --------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Driver/Autotune.h"
#include "EntryPoints.h"
#include "tern-c/runtime.h"
#include "tern/Dialect/Tern/IR/TernAttrs.h"
#include "tern/InitAll.h"
#include "tern/Pipelines/Pipelines.h"
#include "tern/Target/CPU/CpuTarget.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <chrono>
#include <cstdlib>
#include <random>
#include <sys/stat.h>

using namespace mlir;
using namespace mlir::tern;

namespace {

/// Tokens of the timed prefill block: one task block of the GEMM kernel.
constexpr int64_t kPrefillTokens = 64;
/// Bytes of weight copies a decode timing streams through, well beyond the
/// last-level cache, so the matrix-vector product reads memory as decode does.
constexpr size_t kStreamBytes = size_t(128) << 20;
/// Rounds over all candidates; each candidate keeps its fastest.
constexpr int kRounds = 5;
constexpr const char *kCacheVersion = "v1";
/// How much faster than the first candidate another must be to be chosen.
constexpr double kMargin = 0.03;

/// A runtime tensor, freed on scope exit.
struct Tensor {
  tern_tensor *t = nullptr;
  ~Tensor() { tern_tensor_free(t); }
};

/// FNV-1a, for a short stable digest of the target's feature string.
uint64_t fnv1a(llvm::StringRef text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text)
    h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string cpuModelName() {
  auto buffer = llvm::MemoryBuffer::getFileAsStream("/proc/cpuinfo");
  if (buffer) {
    llvm::SmallVector<llvm::StringRef> lines;
    (*buffer)->getBuffer().split(lines, '\n');
    for (llvm::StringRef line : lines)
      if (line.starts_with("model name")) {
        std::string name = line.split(':').second.trim().str();
        llvm::replace(name, '\t', ' ');
        return name;
      }
  }
  return "unknown cpu";
}

/// The running compiler binary's size and modification time.
std::string compilerStamp() {
  struct stat st;
  if (stat("/proc/self/exe", &st) != 0)
    return "unknown";
  return std::to_string(st.st_size) + "@" + std::to_string(st.st_mtime);
}

std::string joinSpecs(const std::vector<::tern::Layout> &layouts) {
  std::string text;
  for (const ::tern::Layout &layout : layouts)
    text += (text.empty() ? "" : ",") + layout.spec();
  return text;
}

} // namespace

std::vector<::tern::Layout> mlir::tern::defaultAutotuneCandidates(DotIsa isa) {
  ::tern::Layout preferred = preferredLayout(isa);
  std::vector<::tern::Layout> candidates = {preferred};
  auto add = [&](::tern::Layout layout) {
    if (!llvm::is_contained(candidates, layout))
      candidates.push_back(layout);
  };
  ::tern::Layout half = preferred, flat = preferred;
  half.rows = std::max<int64_t>(1, preferred.rows / 2);
  flat.rows = 1;
  add(half);
  add(flat);
  add({::tern::Encoding::B3, 160, ::tern::BitOrder::Lsb, preferred.rows});
  // The lookup-table kernel needs vpshufb (AVX2 and AVX-512).
  if (isa != DotIsa::Portable)
    add({::tern::Encoding::Lut, 4, ::tern::BitOrder::Lsb, 16});
  return candidates;
}

std::string mlir::tern::defaultAutotuneCacheDir() {
  if (const char *dir = std::getenv("TERN_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char *dir = std::getenv("XDG_CACHE_HOME"); dir && *dir)
    return std::string(dir) + "/tern";
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/tern";
  return "";
}

Autotuner::Autotuner(CpuTarget &target, AutotuneOptions options)
    : target(target), options(std::move(options)) {}

Autotuner::~Autotuner() {
  if (!workDir.empty())
    llvm::sys::fs::remove_directories(workDir);
}

std::unique_ptr<Autotuner> Autotuner::create(CpuTarget &target,
                                             AutotuneOptions options,
                                             std::string &error) {
  llvm::Triple host(llvm::sys::getProcessTriple());
  llvm::Triple wanted(target.triple);
  if (host.getArch() != wanted.getArch()) {
    error = "--autotune times kernels on this machine (" +
            host.getArchName().str() + "), which cannot run code for " +
            target.triple;
    return nullptr;
  }
  if (options.candidates.empty())
    options.candidates = defaultAutotuneCandidates(target.isa);
  std::unique_ptr<Autotuner> tuner(new Autotuner(target, std::move(options)));
  llvm::SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("ternc-autotune", dir)) {
    error = "--autotune: cannot create a temporary directory: " + ec.message();
    return nullptr;
  }
  tuner->workDir = dir.str().str();
  tuner->machineKey = cpuModelName() + "|" + target.cpu + "|" +
                      llvm::utohexstr(fnv1a(target.features)) + "|ternc " +
                      compilerStamp();
  tuner->loadCache();
  return tuner;
}

std::string Autotuner::cachePath() const {
  return options.cacheDir.empty() ? "" : options.cacheDir + "/autotune.tsv";
}

// A cache line: version, machine key, threads, kind, n, k, candidates,
// choice, and (for people) every candidate's microseconds per decode and
// per prefill token, tab-separated. The first seven fields are the key.
void Autotuner::loadCache() {
  std::string path = cachePath();
  if (path.empty() || !llvm::sys::fs::exists(path))
    return;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer) {
    if (options.log)
      *options.log << "ternc: warning: cannot read the autotune cache '" << path
                   << "': " << buffer.getError().message() << "\n";
    return;
  }
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (auto [number, line] : llvm::enumerate(lines)) {
    if (line.empty() || line.starts_with("#"))
      continue;
    llvm::SmallVector<llvm::StringRef> fields;
    line.split(fields, '\t');
    std::optional<::tern::Layout> choice;
    if (fields.size() >= 8 && fields[0] == kCacheVersion)
      choice = ::tern::Layout::parse(fields[7].str(), nullptr);
    if (!choice) {
      if (options.log)
        *options.log << "ternc: warning: " << path << ":" << number + 1
                     << ": not an autotune result; ignored\n";
      continue;
    }
    cache[llvm::join(llvm::ArrayRef(fields).slice(1, 6), "\t")] = *choice;
  }
}

void Autotuner::appendCache(const std::string &line) {
  std::string path = cachePath();
  if (path.empty())
    return;
  std::error_code ec = llvm::sys::fs::create_directories(options.cacheDir);
  if (!ec) {
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Append);
    if (!ec) {
      os << line << "\n";
      os.close();
      ec = os.error();
    }
  }
  if (ec && options.log)
    *options.log << "ternc: warning: cannot write the autotune cache '" << path
                 << "': " << ec.message() << "\n";
}

std::optional<::tern::Layout> Autotuner::choose(int64_t n, int64_t k,
                                                ::tern::WeightKind kind,
                                                std::string &error) {
  std::vector<::tern::Layout> candidates;
  for (const ::tern::Layout &layout : options.candidates)
    if (layout.canHold(kind))
      candidates.push_back(layout);
  if (candidates.empty()) {
    error = "no candidate layout can hold " +
            std::string(::tern::toString(kind)) + " weights";
    return std::nullopt;
  }
  int savedThreads = tern_get_num_threads();
  tern_set_num_threads(options.threads);
  int threads = tern_get_num_threads();
  std::string key = machineKey + "\t" + std::to_string(threads) + "\t" +
                    std::string(::tern::toString(kind)) + "\t" +
                    std::to_string(n) + "\t" + std::to_string(k) + "\t" +
                    joinSpecs(candidates);
  std::string shape = std::to_string(n) + "x" + std::to_string(k) + " " +
                      std::string(::tern::toString(kind));
  if (auto it = cache.find(key); it != cache.end()) {
    tern_set_num_threads(savedThreads);
    if (options.log)
      *options.log << "ternc: autotune: " << shape << " weights: "
                   << it->second.spec() << " (cached)\n";
    return it->second;
  }
  std::optional<std::vector<Timing>> timings =
      measure(n, k, kind, candidates, error);
  tern_set_num_threads(savedThreads);
  if (!timings)
    return std::nullopt;
  // The first candidate (the target's default) yields only to a clearly
  // faster one, so timing noise does not flip near ties.
  size_t best = 0;
  auto cost = [](const Timing &t) { return t.decodeSeconds + t.prefillSeconds; };
  for (size_t i = 1; i < candidates.size(); ++i)
    if (cost((*timings)[i]) <
        cost((*timings)[best]) * (best == 0 ? 1 - kMargin : 1))
      best = i;
  std::string report;
  for (auto [layout, timing] : llvm::zip(candidates, *timings))
    report += (report.empty() ? "" : " ") + layout.spec() + "=" +
              llvm::formatv("{0:F1}/{1:F1}", timing.decodeSeconds * 1e6,
                            timing.prefillSeconds * 1e6)
                  .str();
  if (options.log)
    *options.log << "ternc: autotune: " << shape << " weights, " << threads
                 << " threads: " << candidates[best].spec()
                 << " (us per decode/prefill token: " << report << ")\n";
  appendCache(std::string(kCacheVersion) + "\t" + key + "\t" +
              candidates[best].spec() + "\t" + report);
  cache[key] = candidates[best];
  return candidates[best];
}

std::optional<std::vector<Autotuner::Timing>>
Autotuner::measure(int64_t n, int64_t k, ::tern::WeightKind kind,
                   const std::vector<::tern::Layout> &candidates,
                   std::string &error) {
  // One module: a matrix-vector and a prefill-block tern.matmul per
  // candidate, weights as arguments.
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  std::string source;
  llvm::raw_string_ostream os(source);
  for (auto [index, layout] : llvm::enumerate(candidates)) {
    int64_t packed = layout.packedRowBytes(k);
    std::string attrs;
    llvm::raw_string_ostream as(attrs);
    as << "{layout = " << LayoutAttr::get(&context, layout);
    if (kind == ::tern::WeightKind::Binary)
      as << ", kind = #tern.kind<binary>";
    as << "}";
    for (int64_t m : {int64_t(1), kPrefillTokens}) {
      std::string a = llvm::formatv("tensor<{0}x{1}xi8>", m, k).str();
      std::string w = llvm::formatv("tensor<{0}x{1}xi8>", n, packed).str();
      std::string c = llvm::formatv("tensor<{0}x{1}xi32>", m, n).str();
      os << "func.func @" << (m == 1 ? "gemv" : "gemm") << index << "(%a: " << a
         << ", %w: " << w << ") -> " << c << " {\n  %r = tern.matmul %a, %w "
         << attrs << " : " << a << ", " << w << " -> " << c
         << "\n  return %r : " << c << "\n}\n";
    }
  }
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  if (!module) {
    error = "cannot build the autotuning kernels";
    return std::nullopt;
  }
  CpuPipelineOptions pipelineOptions;
  pipelineOptions.isa = stringifyDotIsa(target.isa).str();
  PassManager pm(&context);
  buildTernCpuPipeline(pm, pipelineOptions);
  ::tern::ArtifactMetadata metadata;
  metadata.triple = target.triple;
  metadata.cpu = target.cpu;
  metadata.features = target.requiredFeatures;
  metadata.weightsHash = ::tern::hashWeights(nullptr, 0);
  if (failed(collectEntryPoints(*module, metadata.functions)) ||
      failed(pm.run(*module))) {
    error = "compiling the autotuning kernels failed";
    return std::nullopt;
  }
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = translateToLLVMIR(
      *module, target, metadata, {}, {}, llvmContext, error);
  std::string library =
      workDir + "/kernels" + std::to_string(compiled++) + ".so";
  if (!llvmModule || !buildSharedLibrary(*llvmModule, target, library, error))
    return std::nullopt;
  tern_artifact *artifact = nullptr;
  if (tern_artifact_load(library.c_str(), &artifact) != TERN_OK) {
    error = std::string("loading the autotuning kernels: ") + tern_last_error();
    return std::nullopt;
  }
  llvm::scope_exit freeArtifact([&] { tern_artifact_free(artifact); });
  llvm::sys::fs::remove(library);

  // Random activations and weights; every candidate packs the same values.
  std::mt19937 rng(1234);
  std::vector<int8_t> values(size_t(n * k)), acts(size_t(kPrefillTokens * k));
  for (int8_t &v : acts)
    v = int8_t(int(rng() % 255) - 127);
  for (int8_t &v : values)
    v = kind == ::tern::WeightKind::Binary ? int8_t(rng() % 2 ? 1 : -1)
                                            : int8_t(int(rng() % 3) - 1);
  Tensor one, block;
  int64_t oneShape[] = {1, k}, blockShape[] = {kPrefillTokens, k};
  if (tern_tensor_create(TERN_I8, 2, oneShape, acts.data(), &one.t) !=
          TERN_OK ||
      tern_tensor_create(TERN_I8, 2, blockShape, acts.data(), &block.t) !=
          TERN_OK) {
    error = tern_last_error();
    return std::nullopt;
  }
  std::vector<std::vector<uint8_t>> packed;
  for (const ::tern::Layout &layout : candidates) {
    packed.emplace_back(size_t(n * layout.packedRowBytes(k)));
    ::tern::packMatrix(layout, values.data(), n, k, packed.back().data());
  }

  using Clock = std::chrono::steady_clock;
  auto run = [&](const std::string &function, tern_tensor *a, tern_tensor *w,
                 double &seconds) {
    tern_tensor *inputs[] = {a, w};
    tern_tensor *result = nullptr;
    auto start = Clock::now();
    tern_status status =
        tern_run(artifact, function.c_str(), inputs, 2, &result, 1);
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
    tern_tensor_free(result);
    if (status != TERN_OK)
      error = "running " + function + ": " + tern_last_error();
    return status == TERN_OK;
  };
  std::vector<Timing> best(candidates.size(), {1e30, 1e30});
  for (int round = 0; round < kRounds; ++round) {
    for (size_t i = 0; i < candidates.size(); ++i) {
      // Copies of the weights, walked in turn, so each matrix-vector call
      // reads its weights from memory.
      const std::vector<uint8_t> &bytes = packed[i];
      size_t copies = std::max<size_t>(2, kStreamBytes / bytes.size());
      std::vector<Tensor> weights(copies);
      int64_t shape[] = {n, candidates[i].packedRowBytes(k)};
      for (Tensor &w : weights)
        if (tern_tensor_create(TERN_I8, 2, shape, bytes.data(), &w.t) !=
            TERN_OK) {
          error = tern_last_error();
          return std::nullopt;
        }
      std::string index = std::to_string(i);
      double total = 0, seconds;
      for (Tensor &w : weights) {
        if (!run("gemv" + index, one.t, w.t, seconds))
          return std::nullopt;
        total += seconds;
      }
      best[i].decodeSeconds = std::min(best[i].decodeSeconds, total / copies);
      for (int repeat = 0; repeat < 2; ++repeat) {
        if (!run("gemm" + index, block.t, weights[0].t, seconds))
          return std::nullopt;
        best[i].prefillSeconds =
            std::min(best[i].prefillSeconds, seconds / kPrefillTokens);
      }
    }
  }
  return best;
}
