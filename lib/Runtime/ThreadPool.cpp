//===- ThreadPool.cpp - The runtime's worker threads ----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "ThreadPool.h"

#include <algorithm>
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
  }
  wake.notify_all();
  for (std::thread &t : workers)
    t.join();
}

/// Chunk `index` of `chunks` over [0, n): contiguous and balanced.
static void chunkRange(int64_t n, int chunks, int index, int64_t &begin,
                       int64_t &end) {
  begin = n * index / chunks;
  end = n * (index + 1) / chunks;
}

void ThreadPool::workerLoop(int index) {
  uint64_t seen = 0;
  for (;;) {
    TaskFn fn;
    void *ctx;
    int64_t n;
    int count;
    {
      std::unique_lock<std::mutex> lock(mutex);
      wake.wait(lock, [&] { return stopping || generation != seen; });
      if (stopping)
        return;
      seen = generation;
      fn = task;
      ctx = context;
      n = total;
      count = chunks;
    }
    if (index < count) {
      int64_t begin, end;
      chunkRange(n, count, index, begin, end);
      if (begin < end)
        fn(ctx, begin, end);
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (--pending == 0)
        done.notify_one();
    }
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
  {
    std::lock_guard<std::mutex> lock(mutex);
    task = fn;
    context = ctx;
    total = n;
    chunks = count;
    pending = int(workers.size());
    ++generation;
  }
  wake.notify_all();
  int64_t begin, end;
  chunkRange(n, count, 0, begin, end);
  fn(ctx, begin, end);
  std::unique_lock<std::mutex> lock(mutex);
  done.wait(lock, [&] { return pending == 0; });
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
