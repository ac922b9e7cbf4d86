//===- tern-bench.cpp - Kernel benchmarks ---------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Google Benchmark harness for the compiled low-bit GEMV (M = 1) and GEMM
// (M = 128) at the BitNet b1.58 2B4T shapes, on 1 and 2 threads, for each
// packed weight layout of --layouts (default: 2-bit with 8 rows
// interleaved, plain 2-bit, base-3 with 8 rows interleaved; i1 layouts hold
// binary weights, one bit each). Every kernel
// is compiled by ternc in this run, for this machine, and timed through the
// runtime exactly as a user would call it. Next to it, in the same run:
//   * an fp32 GEMV/GEMM of the same shapes compiled by the same compiler
//     (tern.linear: 16-lane FMA register tiles, threaded like the ternary
//     kernel);
//   * the machine's memory read bandwidth (streaming a 512 MiB buffer).
// At the end a table gives GOPS (2*M*N*K per second), effective weight GB/s,
// the speed-up over fp32 and the fraction of the read bandwidth that the
// weight traffic reaches (the decode roofline). Decode cases (M = 1) cycle
// through 512 MiB of copies of their weights, so they stream from memory as
// in a real decode step instead of hitting a warm cache.
//
// Model mode (--model=ARTIFACT, a compiled checkpoint; CUDA artifacts too,
// then generation is measured against the GPU's copy bandwidth and the
// device memory in use is reported): prompt processing
// (prefill of --prompt-tokens, default 128, at position 0, logits of the
// last position only, as for generation and llama-bench's pp) and text
// generation (--gen-tokens decode steps, default 32, after such a prompt) in
// tokens/s on 1 and 2 threads; the weight bytes streamed per generated token
// against the same read bandwidth; and the process's peak RSS after the
// model runs (before the bandwidth buffer is allocated). With
// --baseline=ARTIFACT (the same model compiled another way: from ONNX
// instead of its checkpoint, with other options) each test also runs on the
// baseline right after the model, and a table gives the ratios.
//
// Usage: tern-bench [--ternc=PATH] [--workdir=DIR] [--table=FILE.md]
//                   [--layouts=SPEC,SPEC,...] [Google Benchmark flags]
//        tern-bench --model=ARTIFACT [--baseline=ARTIFACT] [--prompt-tokens=N]
//                   [--gen-tokens=N] [--table=FILE.md] [Google Benchmark flags]
//
//===----------------------------------------------------------------------===//
#include "tern-c/runtime.h"
#include "tern/Support/Packing.h"

#include <benchmark/benchmark.h>

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

struct Shape {
  int64_t n, k;
};
// BitNet b1.58 2B4T: q/o (2560x2560), k/v (640x2560), gate/up (6912x2560),
// down (2560x6912).
constexpr Shape kShapes[] = {{2560, 2560}, {640, 2560}, {6912, 2560}, {2560, 6912}};
constexpr int64_t kRows[] = {1, 128};
constexpr int kThreads[] = {1, 2};

/// A packed weight layout the kernel table compares: a ternc --layout spec
/// and what it parses to.
struct KernelLayout {
  std::string spec;
  ::tern::Layout layout;

  /// Packed bytes per weight row of K values.
  int64_t rowBytes(int64_t k) const { return layout.packedRowBytes(k); }
  std::string attribute() const {
    std::string text = "#tern.layout<" + std::string(::tern::toString(layout.encoding)) +
                       ", block = " + std::to_string(layout.block);
    if (layout.order != ::tern::BitOrder::Lsb)
      text += ", " + std::string(::tern::toString(layout.order));
    if (layout.rows > 1)
      text += ", rows = " + std::to_string(layout.rows);
    return text + ">";
  }
  /// A random byte of valid codes (every byte decodes to codes 0..2 in b3
  /// and to +-1 in i1; in i2 the value 3 is never written by tern.pack).
  uint8_t randomByte(std::mt19937 &rng) const {
    if (layout.encoding != ::tern::Encoding::I2)
      return uint8_t(rng());
    return uint8_t(rng() % 3 | (rng() % 3) << 2 | (rng() % 3) << 4 |
                   (rng() % 3) << 6);
  }
};

KernelLayout parseKernelLayout(const std::string &spec);

/// The layouts of the kernel table (--layouts=A,B,...): the AVX-512
/// default (2-bit, 8 rows interleaved), the same without interleave,
/// base-3 (1.6 bits per weight, decoded to codes before the dot products)
/// and the lookup-table method (pairs of weights index per-token tables).
std::vector<KernelLayout> kernelLayouts;
constexpr const char *kDefaultLayouts =
    "i2:256:rows=8,i2:256,b3:160:rows=8,lut:4:rows=16";

std::string ternc = "ternc";
std::string workdir = "/tmp/tern-bench";
std::string tablePath;

[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "tern-bench: error: %s\n", message.c_str());
  std::exit(1);
}

tern_artifact *compile(const std::string &name, const std::string &source,
                       const std::string &flags) {
  std::string mlir = workdir + "/" + name + ".mlir";
  std::string so = workdir + "/" + name + ".so";
  std::ofstream(mlir) << source;
  std::string cmd = ternc + " " + mlir + " -o " + so + " " + flags;
  if (std::system(cmd.c_str()) != 0)
    die("'" + cmd + "' failed");
  tern_artifact *artifact;
  if (tern_artifact_load(so.c_str(), &artifact) != TERN_OK)
    die(tern_last_error());
  return artifact;
}

struct Tensor {
  tern_tensor *t = nullptr;
  Tensor(tern_dtype dtype, std::vector<int64_t> shape) {
    if (tern_tensor_create(dtype, shape.size(), shape.data(), nullptr, &t) != TERN_OK)
      die(tern_last_error());
  }
  ~Tensor() { tern_tensor_free(t); }
  template <typename T> T *data() { return static_cast<T *>(tern_tensor_data(t)); }
};

struct Case {
  std::string kind; // "ternary" or "fp32"
  int64_t m, n, k;
  int threads;
  KernelLayout layout; // ternary only
};

/// The lm_head GEMV of the kernel table: bf16 weights [128256, 2560].
Case headCase(int threads) { return {"bf16", 1, 128256, 2560, threads, {}}; }

/// Seconds per call, as measured by Google Benchmark, keyed by case name.
std::map<std::string, double> secondsPerCall;
double readBandwidth[3] = {0, 0, 0}; // GB/s by thread count
double dotPeak[3] = {0, 0, 0};       // vpdpbusd TOPS by thread count

std::string caseName(const Case &c) {
  std::ostringstream os;
  os << c.kind;
  if (c.kind == "ternary")
    os << "/" << c.layout.spec;
  os << "/M=" << c.m << "/N=" << c.n << "/K=" << c.k << "/threads="
     << c.threads;
  return os.str();
}

/// Runs `function` of `artifact` on the inputs, freeing the result.
void call(tern_artifact *artifact, const char *function,
          std::vector<tern_tensor *> &inputs) {
  tern_tensor *result = nullptr;
  if (tern_run(artifact, function, inputs.data(), inputs.size(), &result, 1) !=
      TERN_OK)
    die(tern_last_error());
  tern_tensor_free(result);
}

/// Weight matrices for a benchmark: one, or for decode (M = 1) enough
/// copies of it to exceed the caches, used in turn, so every call streams its
/// weights from memory as a decode step does.
struct WeightSet {
  std::vector<std::unique_ptr<Tensor>> copies;
  size_t next = 0;

  WeightSet(const Case &c, tern_dtype dtype, std::vector<int64_t> shape,
            size_t bytes) {
    constexpr size_t kBeyondCaches = size_t(512) << 20;
    size_t count = c.m == 1 ? std::max<size_t>(2, kBeyondCaches / bytes) : 1;
    for (size_t i = 0; i < count; ++i)
      copies.push_back(std::make_unique<Tensor>(dtype, shape));
  }
  /// Copies the first matrix into the others.
  void replicate(size_t bytes) {
    for (size_t i = 1; i < copies.size(); ++i)
      std::memcpy(copies[i]->data<char>(), copies[0]->data<char>(), bytes);
  }
  tern_tensor *take() {
    tern_tensor *t = copies[next]->t;
    next = (next + 1) % copies.size();
    return t;
  }
};

void benchmarkTernary(benchmark::State &state, const Case c,
                      tern_artifact *artifact) {
  tern_set_num_threads(c.threads);
  const int64_t packed = c.layout.rowBytes(c.k);
  const size_t bytes = size_t(c.n * packed);
  Tensor a(TERN_I8, {c.m, c.k});
  WeightSet w(c, TERN_I8, {c.n, packed}, bytes);
  std::mt19937 rng(42);
  for (int64_t i = 0; i < c.m * c.k; ++i)
    a.data<int8_t>()[i] = int8_t(rng());
  uint8_t *first = w.copies[0]->data<uint8_t>();
  for (size_t i = 0; i < bytes; ++i)
    first[i] = c.layout.randomByte(rng);
  w.replicate(bytes);
  std::vector<tern_tensor *> inputs = {a.t, nullptr};
  for (auto _ : state) {
    inputs[1] = w.take();
    call(artifact, "gemm", inputs);
  }
  state.counters["GOPS"] = benchmark::Counter(
      2.0 * c.m * c.n * c.k * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["weight_GB/s"] = benchmark::Counter(
      double(bytes) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/// tern.linear with f32 activations and f32 (kind "fp32") or bf16 (kind
/// "bf16", the lm_head's precision) weights.
void benchmarkFloat(benchmark::State &state, const Case c,
                    tern_artifact *artifact) {
  tern_set_num_threads(c.threads);
  const bool bf16 = c.kind == "bf16";
  const size_t bytes = size_t(c.n * c.k) * (bf16 ? 2 : 4);
  Tensor a(TERN_F32, {c.m, c.k});
  WeightSet b(c, bf16 ? TERN_BF16 : TERN_F32, {c.n, c.k}, bytes);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1, 1);
  for (int64_t i = 0; i < c.m * c.k; ++i)
    a.data<float>()[i] = dist(rng);
  for (int64_t i = 0; i < c.k * c.n; ++i) {
    float v = dist(rng);
    if (bf16) {
      uint32_t bits;
      std::memcpy(&bits, &v, 4);
      b.copies[0]->data<uint16_t>()[i] = uint16_t(bits >> 16);
    } else {
      b.copies[0]->data<float>()[i] = v;
    }
  }
  b.replicate(bytes);
  std::vector<tern_tensor *> inputs = {a.t, nullptr};
  for (auto _ : state) {
    inputs[1] = b.take();
    call(artifact, "gemm", inputs);
  }
  state.counters["GOPS"] = benchmark::Counter(
      2.0 * c.m * c.n * c.k * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["weight_GB/s"] = benchmark::Counter(
      double(bytes) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/// Sums `n` words with 64-byte loads into four independent accumulators (the
/// kernels' load width, so the limit is not understated by narrow loads).
constexpr size_t kPrefetchWords = 1024; // 8 KiB ahead
__attribute__((target("avx512f"))) uint64_t sumWords512(const uint64_t *p,
                                                         size_t n) {
  __m512i acc[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(),
                    _mm512_setzero_si512(), _mm512_setzero_si512()};
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    // Software prefetch a little ahead, as the GEMV kernels do: one core's
    // hardware prefetchers alone leave bandwidth unused.
    for (int j = 0; j < 4; ++j)
      _mm_prefetch(reinterpret_cast<const char *>(p + i + kPrefetchWords + 8 * j),
                   _MM_HINT_T0);
    for (int j = 0; j < 4; ++j)
      acc[j] = _mm512_add_epi64(acc[j], _mm512_loadu_si512(p + i + 8 * j));
  }
  uint64_t total = uint64_t(_mm512_reduce_add_epi64(
      _mm512_add_epi64(_mm512_add_epi64(acc[0], acc[1]),
                       _mm512_add_epi64(acc[2], acc[3]))));
  for (; i < n; ++i)
    total += p[i];
  return total;
}

/// Runs body(t) on `threads` threads per benchmark iteration and returns the
/// fastest iteration's seconds: a limit is what the machine can do, not the
/// mean of passes slowed by other tenants (which would flatter the ratios).
template <typename Body>
double fastestPass(benchmark::State &state, int threads, Body body) {
  double best = 1e30;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&body, t] { body(t); });
    for (auto &th : pool)
      th.join();
    best = std::min(best, std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count());
  }
  return best;
}

/// Memory read bandwidth: every thread sums its part of a buffer far larger
/// than the caches, 8 independent accumulators so loads are not serialized.
void benchmarkBandwidth(benchmark::State &state, int threads) {
  const size_t bytes = size_t(512) << 20;
  const size_t words = bytes / sizeof(uint64_t);
  std::vector<uint64_t> buffer(words);
  for (size_t i = 0; i < words; ++i)
    buffer[i] = i;
  std::atomic<uint64_t> sink{0};
  const bool wide = __builtin_cpu_supports("avx512f");
  auto sum = [&](size_t begin, size_t end) {
    if (wide)
      return sumWords512(buffer.data() + begin, end - begin);
    uint64_t acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t i = begin; i + 8 <= end; i += 8)
      for (int j = 0; j < 8; ++j)
        acc[j] += buffer[i + j];
    uint64_t total = 0;
    for (uint64_t v : acc)
      total += v;
    return total;
  };
  double best = fastestPass(state, threads, [&](int t) {
    sink += sum(words * t / threads, words * (t + 1) / threads);
  });
  benchmark::DoNotOptimize(sink.load());
  state.counters["GB/s"] = benchmark::Counter(double(bytes) * 1e-9 / best);
}

/// vpdpbusd throughput: 16 independent accumulator chains per thread, so
/// latency never limits; 64 u8 x s8 products (128 ops) per instruction.
constexpr int64_t kDotIterations = 1 << 22;

__attribute__((target("avx512f,avx512vnni"))) uint32_t dotLoop() {
  __m512i acc[16];
  for (int i = 0; i < 16; ++i)
    acc[i] = _mm512_set1_epi32(i);
  __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-5);
  for (int64_t n = 0; n < kDotIterations; ++n) {
    for (int i = 0; i < 16; ++i)
      acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
    // Keep the compiler from folding the loop.
    asm volatile("" : "+v"(a));
  }
  __m512i sum = acc[0];
  for (int i = 1; i < 16; ++i)
    sum = _mm512_add_epi32(sum, acc[i]);
  return uint32_t(_mm512_reduce_add_epi32(sum));
}

void benchmarkDotPeak(benchmark::State &state, int threads) {
  if (!__builtin_cpu_supports("avx512vnni")) {
    state.SkipWithError("no AVX-512 VNNI on this CPU");
    return;
  }
  std::atomic<uint32_t> sink{0};
  double best = fastestPass(state, threads, [&](int) { sink += dotLoop(); });
  benchmark::DoNotOptimize(sink.load());
  state.counters["TOPS"] = benchmark::Counter(
      double(threads) * kDotIterations * 16 * 128 * 1e-12 / best);
}

/// The physical limits every table is compared with, on each thread count:
/// memory read bandwidth and the vpdpbusd peak.
void registerBandwidth() {
  for (int t : kThreads)
    benchmark::RegisterBenchmark(
        ("vpdpbusd_peak/threads=" + std::to_string(t)).c_str(),
        [t](benchmark::State &s) { benchmarkDotPeak(s, t); })
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(0.3);
  for (int t : kThreads)
    benchmark::RegisterBenchmark(
        ("bandwidth/threads=" + std::to_string(t)).c_str(),
        [t](benchmark::State &s) { benchmarkBandwidth(s, t); })
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(0.5);
}

/// Prints Google Benchmark's console output and keeps every run's time.
class Reporter : public benchmark::ConsoleReporter {
public:
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run &run : runs) {
      if (run.error_occurred || run.run_type != Run::RT_Iteration)
        continue;
      std::string name = run.benchmark_name();
      // Keep "test/threads=N": drop the /min_time:... and /real_time parts.
      for (const char *suffix : {"/min_time:", "/real_time"})
        if (size_t at = name.find(suffix); at != std::string::npos)
          name.erase(at);
      // GetTimeUnitMultiplier converts seconds to the run's unit.
      double seconds = run.GetAdjustedRealTime() /
                       benchmark::GetTimeUnitMultiplier(run.time_unit);
      if (name.rfind("bandwidth/threads=", 0) == 0) {
        int t = std::atoi(name.c_str() + std::strlen("bandwidth/threads="));
        readBandwidth[t] = run.counters.at("GB/s");
      } else if (name.rfind("vpdpbusd_peak/threads=", 0) == 0) {
        int t = std::atoi(name.c_str() + std::strlen("vpdpbusd_peak/threads="));
        dotPeak[t] = run.counters.at("TOPS");
      } else {
        secondsPerCall[name] = seconds;
      }
    }
  }
};

/// The measured limits, one line.
std::string limits() {
  char line[256];
  std::snprintf(line, sizeof line,
                "Memory read bandwidth: %.1f GB/s (1 thread), %.1f GB/s (2 "
                "threads); vpdpbusd peak: %.2f TOPS (1 thread), %.2f TOPS (2 "
                "threads)\n",
                readBandwidth[1], readBandwidth[2], dotPeak[1], dotPeak[2]);
  return line;
}

std::string table() {
  std::ostringstream os;
  char line[512];
  os << limits() << "\n";
  os << "% of limit: weight GB/s over the read bandwidth for M = 1 (decode),\n"
        "GOPS over the vpdpbusd peak for M = 128 (prefill).\n\n";
  os << "| M | N x K | threads | layout | ternary GOPS | weight GB/s | "
        "% of limit | fp32 GOPS | ternary / fp32 |\n";
  os << "|---|---|---|---|---|---|---|---|---|\n";
  for (int64_t m : kRows)
    for (const Shape &s : kShapes)
      for (int t : kThreads)
        for (const KernelLayout &layout : kernelLayouts) {
          Case tc{"ternary", m, s.n, s.k, t, layout};
          Case fc{"fp32", m, s.n, s.k, t, {}};
          auto ti = secondsPerCall.find(caseName(tc));
          auto fi = secondsPerCall.find(caseName(fc));
          if (ti == secondsPerCall.end())
            continue;
          double ops = 2.0 * m * s.n * s.k;
          double gops = ops / ti->second * 1e-9;
          double packed = double(s.n) * double(layout.rowBytes(s.k));
          double gbs = packed / ti->second * 1e-9;
          double fp32 =
              fi == secondsPerCall.end() ? 0 : ops / fi->second * 1e-9;
          double limit =
              m == 1 ? (readBandwidth[t] ? 100.0 * gbs / readBandwidth[t] : 0.0)
                     : (dotPeak[t] ? 100.0 * gops * 1e-3 / dotPeak[t] : 0.0);
          std::snprintf(line, sizeof(line),
                        "| %lld | %lldx%lld | %d | %s | %.1f | %.2f | %.0f%% | "
                        "%.1f | %.1fx |\n",
                        (long long)m, (long long)s.n, (long long)s.k, t,
                        layout.spec.c_str(), gops, gbs, limit, fp32,
                        fp32 ? gops / fp32 : 0.0);
          os << line;
        }
  os << "\n| lm_head GEMV | N x K | threads | GB/s | % of read BW |\n"
        "|---|---|---|---|---|\n";
  for (int t : kThreads) {
    Case c = headCase(t);
    auto it = secondsPerCall.find(caseName(c));
    if (it == secondsPerCall.end())
      continue;
    double gbs = double(c.n * c.k * 2) / it->second * 1e-9;
    std::snprintf(line, sizeof(line), "| bf16 | %lldx%lld | %d | %.2f | %.0f%% |\n",
                  (long long)c.n, (long long)c.k, t, gbs,
                  readBandwidth[t] ? 100.0 * gbs / readBandwidth[t] : 0.0);
    os << line;
  }
  return os.str();
}

KernelLayout parseKernelLayout(const std::string &spec) {
  std::string why;
  std::optional<::tern::Layout> layout = ::tern::Layout::parse(spec, &why);
  if (!layout)
    die("--layouts: " + why);
  if (layout->encoding == ::tern::Encoding::I8)
    die("--layouts: '" + spec + "' is unpacked; the table compares packed layouts");
  return {spec, *layout};
}

/// A language model with its caches, run through the C API as tern-run
/// does.
struct ModelBench {
  tern_artifact *artifact = nullptr;
  tern_model_info info{};
  tern_tensor *keyCache = nullptr, *valueCache = nullptr;
  std::vector<int32_t> prompt;

  bool hasPrefillLast = false;

  /// Runs `tokens` at `position`; returns nothing (logits freed). Prompts
  /// compute the last position's logits only, as generation (and
  /// llama-bench's pp test) does.
  void feed(const int32_t *tokens, int64_t count, int64_t position) {
    tern_tensor *ids, *pos, *logits = nullptr;
    if (tern_tensor_create(TERN_I32, 1, &count, tokens, &ids) != TERN_OK ||
        tern_tensor_create(TERN_I64, 0, nullptr, &position, &pos) != TERN_OK)
      die(tern_last_error());
    tern_tensor *inputs[4] = {ids, pos, keyCache, valueCache};
    const char *entry = count == 1        ? "decode"
                        : hasPrefillLast ? "prefill_last"
                                         : "prefill";
    if (tern_run(artifact, entry, inputs, 4, &logits, 1) != TERN_OK)
      die(tern_last_error());
    tern_tensor_free(ids);
    tern_tensor_free(pos);
    tern_tensor_free(logits);
  }
};

ModelBench modelBench;
/// `--baseline=ARTIFACT`: the same model compiled another way (from another
/// format, with other options), timed in the same run.
ModelBench baselineBench;
std::string baselinePath;
constexpr double kModelMinSeconds = 3.0;
int64_t promptTokens = 128, genTokens = 32;
std::map<std::string, double> tokensPerSecond; // "pp128/threads=1" -> tok/s
long peakRssKiB = 0;

/// tokens/s of the fastest iteration of each model test, keyed like
/// tokensPerSecond: the same standard as the limits (their fastest pass),
/// so that a slow stretch of a shared host lowers neither side alone.
std::map<std::string, double> bestTokensPerSecond;

/// Runs `body` once per benchmark iteration, recording the fastest
/// iteration as `tokens` per its seconds under `name`.
template <typename Body>
void timeIterations(benchmark::State &state, const std::string &name,
                    int64_t tokens, Body body) {
  double best = 1e30;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    body();
    best = std::min(best, std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count());
  }
  bestTokensPerSecond[name] = double(tokens) / best;
  state.counters["tok/s"] = benchmark::Counter(
      double(tokens), benchmark::Counter::kIsIterationInvariantRate);
}

void benchmarkPrefill(benchmark::State &state, ModelBench &m,
                      const std::string &name, int threads) {
  tern_set_num_threads(threads);
  timeIterations(state, name, promptTokens, [&m] {
    m.feed(m.prompt.data(), promptTokens, 0);
  });
}

void benchmarkGenerate(benchmark::State &state, ModelBench &m,
                       const std::string &name, int threads) {
  tern_set_num_threads(threads);
  m.feed(m.prompt.data(), promptTokens, 0);
  timeIterations(state, name, genTokens, [&m] {
    for (int64_t i = 0; i < genTokens; ++i)
      m.feed(&m.prompt[size_t(i % promptTokens)], 1, promptTokens + i);
  });
}

/// Loads a compiled language model and its KV caches for the model mode.
void loadModel(ModelBench &m, const std::string &path) {
  if (tern_artifact_load(path.c_str(), &m.artifact) != TERN_OK ||
      tern_artifact_model_info(m.artifact, &m.info) != TERN_OK)
    die(tern_last_error());
  size_t inputs, results;
  m.hasPrefillLast = tern_artifact_function_info(m.artifact, "prefill_last",
                                                 &inputs, &results) == TERN_OK;
  if (promptTokens + genTokens > m.info.context)
    die(path + ": --prompt-tokens + --gen-tokens exceed the model's context of " +
        std::to_string(m.info.context));
  int64_t shape[4] = {m.info.layers, m.info.kv_heads, m.info.context,
                      m.info.head_dim};
  if (tern_tensor_create(TERN_F32, 4, shape, nullptr, &m.keyCache) != TERN_OK ||
      tern_tensor_create(TERN_F32, 4, shape, nullptr, &m.valueCache) != TERN_OK)
    die(tern_last_error());
}

/// The model against the baseline, test by test, measured in the same run.
std::string baselineTable() {
  std::ostringstream os;
  char line[256];
  os << "\nBaseline: " << baselinePath << "\n\n";
  os << "| test | threads | tokens/s | baseline tokens/s | ratio | fastest "
        "passes' ratio |\n|---|---|---|---|---|---|\n";
  for (const char *test : {"pp", "tg"})
    for (int t : kThreads) {
      std::string name = std::string(test) +
                         std::to_string(*test == 'p' ? promptTokens : genTokens) +
                         "/threads=" + std::to_string(t);
      std::string base = name + "/baseline";
      if (!tokensPerSecond.count(name) || !tokensPerSecond.count(base))
        continue;
      double a = tokensPerSecond[name], b = tokensPerSecond[base];
      double bestA = bestTokensPerSecond.count(name) ? bestTokensPerSecond[name] : a;
      double bestB = bestTokensPerSecond.count(base) ? bestTokensPerSecond[base] : b;
      std::snprintf(line, sizeof line, "| %s | %d | %.1f | %.1f | %.3f | %.3f |\n",
                    name.substr(0, name.find('/')).c_str(), t, a, b, a / b,
                    bestA / bestB);
      os << line;
    }
  return os.str();
}

/// A CUDA artifact's GPU, measured after the model runs: its copy bandwidth
/// (the roofline of generation) and the device memory in use.
double gpuCopyBandwidth = 0;
uint64_t gpuMemoryUsed = 0;

std::string modelTable(const std::string &path) {
  std::ostringstream os;
  char line[512];
  const bool gpu = tern_artifact_gpu_arch(modelBench.artifact) != nullptr;
  double weightsGB = double(tern_artifact_weights_bytes(modelBench.artifact)) * 1e-9;
  os << "Model: " << path << " (" << modelBench.info.layers << " layers, vocab "
     << modelBench.info.vocab << ", weights " << weightsGB << " GB)\n";
  os << limits();
  int64_t macs = tern_artifact_layer_macs(modelBench.artifact);
  if (macs > 0)
    os << "Layer matmuls: " << 2.0 * double(macs) * 1e-9
       << " G int8 ops per token (2 per product)\n";
  os << "Peak RSS after the model runs: " << peakRssKiB / 1024 << " MiB\n";
  if (gpu)
    os << "GPU (" << tern_artifact_gpu_arch(modelBench.artifact)
       << " artifact): copy bandwidth " << gpuCopyBandwidth
       << " GB/s (read + write); device memory in use after the model runs: "
       << gpuMemoryUsed / (1024 * 1024) << " MiB\n";
  os << "\n";
  // Generation is bound by the bytes streamed per token, a prompt by the
  // layer matmuls' compute.
  os << "| test | threads | tokens/s | weight GB/s | "
     << (gpu ? "% of GPU copy BW" : "% of read BW")
     << " | % of vpdpbusd peak | fastest pass tokens/s | fastest: % of limit |\n";
  os << "|---|---|---|---|---|---|---|---|\n";
  for (const char *test : {"pp", "tg"})
    for (int t : kThreads) {
      std::string name = std::string(test) +
                         std::to_string(*test == 'p' ? promptTokens : genTokens) +
                         "/threads=" + std::to_string(t);
      auto it = tokensPerSecond.find(name);
      if (it == tokensPerSecond.end())
        continue;
      // Generation streams every weight once per token; a prompt once per
      // call.
      double perSecond = *test == 't' ? it->second : it->second / promptTokens;
      double gbs = weightsGB * perSecond;
      // Percent of this test's limit at `tokens` per second: generation
      // against the read bandwidth, a prompt against the vpdpbusd peak.
      auto ofLimit = [&](double tokens, char *out, size_t size) {
        double perCall = *test == 't' ? tokens : tokens / promptTokens;
        double bandwidth = gpu ? gpuCopyBandwidth : readBandwidth[t];
        if (*test == 't' && bandwidth > 0)
          std::snprintf(out, size, "%.0f%%",
                        100.0 * weightsGB * perCall / bandwidth);
        else if (*test == 'p' && macs > 0 && dotPeak[t] > 0 && !gpu)
          std::snprintf(out, size, "%.0f%%",
                        100.0 * 2.0 * double(macs) * tokens * 1e-12 /
                            dotPeak[t]);
        else
          std::snprintf(out, size, "-");
      };
      char limit[32], bestLimit[32];
      ofLimit(it->second, limit, sizeof limit);
      double best = bestTokensPerSecond.count(name) ? bestTokensPerSecond[name]
                                                    : it->second;
      ofLimit(best, bestLimit, sizeof bestLimit);
      bool gen = *test == 't';
      std::snprintf(line, sizeof line,
                    "| %s | %d | %.1f | %.1f | %s | %s | %.1f | %s |\n",
                    name.substr(0, name.find('/')).c_str(), t, it->second, gbs,
                    gen ? limit : "-", gen ? "-" : limit, best, bestLimit);
      os << line;
    }
  return os.str();
}

int runModelMode(const std::string &path, int argc, char **argv) {
  ModelBench &m = modelBench;
  loadModel(m, path);
  std::mt19937 rng(42);
  for (int64_t i = 0; i < promptTokens; ++i)
    m.prompt.push_back(int32_t(rng() % uint32_t(m.info.vocab)));
  ModelBench &base = baselineBench;
  if (!baselinePath.empty()) {
    loadModel(base, baselinePath);
    if (base.info.vocab != m.info.vocab)
      die(baselinePath + ": the baseline's vocabulary differs from the model's");
    base.prompt = m.prompt;
  }
  bool minTimeGiven = false;
  for (int i = 1; i < argc; ++i)
    minTimeGiven |= std::strncmp(argv[i], "--benchmark_min_time", 20) == 0;
  const double minSeconds = minTimeGiven ? 0.0 : kModelMinSeconds;
  benchmark::Initialize(&argc, argv);
  // The first call faults in the weights' pages and the buffers the runtime
  // then keeps: a one-time cost, not the steady state measured below.
  m.feed(m.prompt.data(), promptTokens, 0);
  if (base.artifact)
    base.feed(base.prompt.data(), promptTokens, 0);

  // Several calls each (a call is 0.1-1 s here), so one slow call on a
  // shared host does not make the figure (unless --benchmark_min_time says
  // otherwise).
  for (int t : kThreads) {
    const std::string threadsSuffix = "/threads=" + std::to_string(t);
    const std::string prefillName =
        "pp" + std::to_string(promptTokens) + threadsSuffix;
    const std::string generateName =
        "tg" + std::to_string(genTokens) + threadsSuffix;
    // With a baseline, each test runs for the model then the baseline,
    // back to back.
    std::vector<benchmark::internal::Benchmark *> runs;
    for (bool prefill : {true, false})
      for (ModelBench *which : {&m, &base}) {
        if (!which->artifact)
          continue;
        std::string name = (prefill ? prefillName : generateName) +
                           (which == &base ? "/baseline" : "");
        runs.push_back(benchmark::RegisterBenchmark(
            name.c_str(), [t, name, prefill, which](benchmark::State &s) {
              if (prefill)
                benchmarkPrefill(s, *which, name, t);
              else
                benchmarkGenerate(s, *which, name, t);
            }));
      }
    for (benchmark::internal::Benchmark *run : runs) {
      run->UseRealTime()->Unit(benchmark::kMillisecond);
      if (minSeconds > 0)
        run->MinTime(minSeconds);
    }
  }
  Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  for (auto &[name, seconds] : secondsPerCall) {
    int64_t tokens = name[0] == 'p' ? promptTokens : genTokens;
    tokensPerSecond[name] = double(tokens) / seconds;
  }
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  peakRssKiB = usage.ru_maxrss;
  if (tern_artifact_gpu_arch(m.artifact)) {
    if (tern_cuda_memory_used(&gpuMemoryUsed) != TERN_OK ||
        tern_cuda_copy_bandwidth(&gpuCopyBandwidth) != TERN_OK)
      die(std::string("measuring the GPU: ") + tern_last_error());
  }
  for (ModelBench *which : {&m, &base}) {
    tern_tensor_free(which->keyCache);
    tern_tensor_free(which->valueCache);
  }

  benchmark::ClearRegisteredBenchmarks();
  registerBandwidth();
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::string text = modelTable(path);
  if (base.artifact)
    text += baselineTable();
  std::printf("\n%s", text.c_str());
  if (!tablePath.empty())
    std::ofstream(tablePath) << text;
  tern_artifact_free(m.artifact);
  if (base.artifact)
    tern_artifact_free(base.artifact);
  benchmark::Shutdown();
  return 0;
}

std::string ternarySource(const Case &c) {
  const int64_t packed = c.layout.rowBytes(c.k);
  std::ostringstream os;
  os << "func.func @gemm(%a: tensor<" << c.m << "x" << c.k
     << "xi8>, %w: tensor<" << c.n << "x" << packed << "xi8>) -> tensor<"
     << c.m << "x" << c.n << "xi32> {\n"
     << "  %r = tern.matmul %a, %w {"
     << (c.layout.layout.encoding == ::tern::Encoding::I1
             ? "kind = #tern.kind<binary>, "
             : "")
     << "layout = " << c.layout.attribute() << "} : tensor<" << c.m << "x" << c.k << "xi8>, tensor<" << c.n << "x"
     << packed << "xi8> -> tensor<" << c.m << "x" << c.n << "xi32>\n"
     << "  return %r : tensor<" << c.m << "x" << c.n << "xi32>\n}\n";
  return os.str();
}

std::string floatSource(const Case &c) {
  const char *weights = c.kind == "bf16" ? "bf16" : "f32";
  std::ostringstream os;
  std::string mk = std::to_string(c.m) + "x" + std::to_string(c.k);
  std::string nk = std::to_string(c.n) + "x" + std::to_string(c.k);
  std::string mn = std::to_string(c.m) + "x" + std::to_string(c.n);
  os << "func.func @gemm(%a: tensor<" << mk << "xf32>, %b: tensor<" << nk
     << "x" << weights << ">) -> tensor<" << mn << "xf32> {\n"
     << "  %r = tern.linear %a, %b : tensor<" << mk << "xf32>, tensor<" << nk
     << "x" << weights << "> -> tensor<" << mn << "xf32>\n"
     << "  return %r : tensor<" << mn << "xf32>\n}\n";
  return os.str();
}

} // namespace

int main(int argc, char **argv) {
  // Our flags first; the rest go to Google Benchmark.
  std::vector<char *> rest = {argv[0]};
  std::string modelPath;
  std::string layoutList = kDefaultLayouts;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--ternc=", 0) == 0)
      ternc = arg.substr(8);
    else if (arg.rfind("--workdir=", 0) == 0)
      workdir = arg.substr(10);
    else if (arg.rfind("--table=", 0) == 0)
      tablePath = arg.substr(8);
    else if (arg.rfind("--model=", 0) == 0)
      modelPath = arg.substr(8);
    else if (arg.rfind("--baseline=", 0) == 0)
      baselinePath = arg.substr(11);
    else if (arg.rfind("--prompt-tokens=", 0) == 0)
      promptTokens = std::atoll(arg.c_str() + 16);
    else if (arg.rfind("--gen-tokens=", 0) == 0)
      genTokens = std::atoll(arg.c_str() + 13);
    else if (arg.rfind("--layouts=", 0) == 0)
      layoutList = arg.substr(10);
    else
      rest.push_back(argv[i]);
  }
  if (promptTokens < 2 || genTokens < 1)
    die("--prompt-tokens must be at least 2 and --gen-tokens at least 1");
  {
    std::stringstream in(layoutList);
    for (std::string spec; std::getline(in, spec, ',');)
      kernelLayouts.push_back(parseKernelLayout(spec));
    if (kernelLayouts.empty())
      die("--layouts is empty");
  }
  if (!baselinePath.empty() && modelPath.empty())
    die("--baseline needs --model");
  if (!modelPath.empty()) {
    int restCount = int(rest.size());
    return runModelMode(modelPath, restCount, rest.data());
  }
  if (ternc == "ternc") {
    // Default: the ternc next to this binary.
    std::string self = argv[0];
    size_t slash = self.rfind('/');
    if (slash != std::string::npos)
      ternc = self.substr(0, slash + 1) + "ternc";
  }
  std::system(("mkdir -p " + workdir).c_str());
  int restCount = int(rest.size());
  benchmark::Initialize(&restCount, rest.data());

  registerBandwidth();
  for (int64_t m : kRows)
    for (const Shape &s : kShapes) {
      std::string tag = "M" + std::to_string(m) + "_" + std::to_string(s.n) +
                        "x" + std::to_string(s.k);
      std::vector<tern_artifact *> ternary;
      for (const KernelLayout &layout : kernelLayouts) {
        Case base{"ternary", m, s.n, s.k, 1, layout};
        std::string name = "ternary_" + tag + "_" + layout.spec;
        std::replace(name.begin(), name.end(), ':', '_');
        ternary.push_back(compile(name, ternarySource(base), ""));
      }
      tern_artifact *fp32 = compile("fp32_" + tag, floatSource({"fp32", m, s.n, s.k, 1, {}}), "");
      for (int t : kThreads) {
        for (size_t l = 0; l < kernelLayouts.size(); ++l) {
          Case tc{"ternary", m, s.n, s.k, t, kernelLayouts[l]};
          benchmark::RegisterBenchmark(caseName(tc).c_str(), benchmarkTernary,
                                       tc, ternary[l])
              ->UseRealTime()
              ->Unit(benchmark::kMillisecond);
        }
        Case fc{"fp32", m, s.n, s.k, t, {}};
        benchmark::RegisterBenchmark(caseName(fc).c_str(), benchmarkFloat, fc, fp32)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
  // The 2B4T output head: a bf16 GEMV over the 128256-row tied embedding,
  // over half of the bytes a generated token reads.
  tern_artifact *head = compile("head_bf16", floatSource(headCase(1)), "");
  for (int t : kThreads)
    benchmark::RegisterBenchmark(caseName(headCase(t)).c_str(), benchmarkFloat,
                                 headCase(t), head)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::string text = table();
  std::printf("\n%s", text.c_str());
  if (!tablePath.empty())
    std::ofstream(tablePath) << text;
  benchmark::Shutdown();
  return 0;
}
