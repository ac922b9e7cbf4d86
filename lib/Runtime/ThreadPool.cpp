//===- ThreadPool.cpp - The runtime's worker threads ----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "ThreadPool.h"

#include <algorithm>
#include <chrono>
#include <memory>

namespace tern::runtime {

ThreadPool::ThreadPool(int threads) {
  threads = std::max(1, threads);
  for (int i = 1; i < threads; ++i)
    workers.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
    ++generation;
  }
  wake.notify_all();
  for (std::thread &t : workers)
    t.join();
}

static inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

bool ThreadPool::waitForTask(uint64_t seen) {
  // Spin about a millisecond: long enough to cover the gap between two
  // kernels of a decode step, short enough not to burn a core when idle.
  auto start = std::chrono::steady_clock::now();
  for (int i = 1;; ++i) {
    if (generation.load(std::memory_order_acquire) != seen)
      return stopping.load();
    cpuRelax();
    if (i % 256 == 0) {
      if (std::chrono::steady_clock::now() - start >
          std::chrono::microseconds(1000))
        break;
      // With more threads than free cores, let the others run.
      std::this_thread::yield();
    }
  }
  std::unique_lock<std::mutex> lock(mutex);
  ++sleepers; // seen by a publisher that bumps generation after this
  wake.wait(lock, [&] { return generation.load() != seen; });
  --sleepers;
  return stopping.load();
}

void ThreadPool::runChunks() {
  const int64_t divisor = int64_t(kChunkDivisor) * threads();
  int64_t begin = next.load(std::memory_order_relaxed);
  while (begin < total) {
    // Guided: a share of what is left, so the first chunks are long runs
    // and the last ones short enough that the threads finish together.
    int64_t size = std::max(minChunk, (total - begin) / divisor);
    int64_t end = std::min(total, begin + size);
    if (!next.compare_exchange_weak(begin, end, std::memory_order_relaxed))
      continue; // `begin` now holds the current start
    task(context, begin, end);
    begin = next.load(std::memory_order_relaxed);
  }
}

void ThreadPool::workerLoop(int) {
  uint64_t seen = 0;
  for (;;) {
    if (waitForTask(seen))
      return;
    seen = generation.load(std::memory_order_acquire);
    runChunks();
    pending.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::parallelFor(TaskFn fn, void *ctx, int64_t n) {
  if (n <= 0)
    return;
  int count = int(std::min<int64_t>(threads(), n));
  if (count == 1 || workers.empty()) {
    fn(ctx, 0, n);
    return;
  }
  task = fn;
  context = ctx;
  total = n;
  minChunk = std::max<int64_t>(1, n / (int64_t(count) * kMaxChunksPerThread));
  next.store(0, std::memory_order_relaxed);
  pending.store(int(workers.size()), std::memory_order_relaxed);
  ++generation; // seq_cst: publishes the task, ordered before `sleepers`
  if (sleepers.load() > 0) {
    std::lock_guard<std::mutex> lock(mutex);
    wake.notify_all();
  }
  runChunks();
  for (int i = 1; pending.load(std::memory_order_acquire) != 0; ++i) {
    cpuRelax();
    if (i % 64 == 0)
      std::this_thread::yield(); // a descheduled worker needs the core
  }
}

static std::mutex globalMutex;
static std::unique_ptr<ThreadPool> global;
static int requestedThreads = 0;

ThreadPool &globalPool() {
  std::lock_guard<std::mutex> lock(globalMutex);
  if (!global) {
    int threads = requestedThreads > 0
                      ? requestedThreads
                      : int(std::max(1u, std::thread::hardware_concurrency()));
    global = std::make_unique<ThreadPool>(threads);
  }
  return *global;
}

void setGlobalThreads(int threads) {
  std::lock_guard<std::mutex> lock(globalMutex);
  requestedThreads = threads;
  global.reset();
}

void parallelForHook(TaskFn task, void *context, int64_t n) {
  globalPool().parallelFor(task, context, n);
}

} // namespace tern::runtime
