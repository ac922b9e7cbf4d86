//===- ThreadPool.h - The runtime's worker threads --------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// A fixed set of workers that run one parallel-for at a time: the threads
// (the caller among them) take contiguous chunks of the range in order from
// a shared counter, each chunk a share of what is left (guided scheduling),
// so a thread that started late or runs slower takes less, and the last
// chunks are short enough that the threads finish together. Chunks stay
// contiguous: each streams its own rows of the weights.
//
// A decode step runs hundreds of parallel-fors of tens of microseconds each,
// so waking a sleeping thread (a futex round trip, tens of microseconds) for
// each would cost as much as the work. Workers therefore spin on the task
// counter for a while after each task before sleeping on a condition
// variable, and the caller spins for the workers to finish.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_RUNTIME_THREADPOOL_H
#define TERN_RUNTIME_THREADPOOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace tern::runtime {

using TaskFn = void (*)(void *context, int64_t begin, int64_t end);

class ThreadPool {
public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  int threads() const { return int(workers.size()) + 1; }

  /// Runs task(context, begin, end) over [0, n) split across the threads;
  /// returns when every chunk is done. Not reentrant.
  void parallelFor(TaskFn task, void *context, int64_t n);

private:
  void workerLoop(int index);
  /// Takes and runs chunks of the current task until none is left.
  void runChunks();

  /// A chunk is 1 / (kChunkDivisor * threads) of what is left, and at least
  /// 1 / (kMaxChunksPerThread * threads) of the range.
  static constexpr int kChunkDivisor = 2;
  static constexpr int kMaxChunksPerThread = 32;

  /// Blocks until `generation` differs from `seen` (or stopping); returns
  /// whether the pool is stopping.
  bool waitForTask(uint64_t seen);

  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake;
  std::atomic<uint64_t> generation{0}; ///< bumped once per published task
  std::atomic<int> pending{0};         ///< workers not done with the task
  std::atomic<int> sleepers{0};        ///< workers blocked on `wake`
  std::atomic<bool> stopping{false};
  // The task; written before `generation` is bumped, read after.
  TaskFn task = nullptr;
  void *context = nullptr;
  int64_t total = 0;
  int64_t minChunk = 1;
  std::atomic<int64_t> next{0}; ///< start of the first range not taken
};

/// The process-wide pool the artifacts' parallel-for hook uses.
ThreadPool &globalPool();
void setGlobalThreads(int threads);

/// The function artifacts call through __tern_parallel_for.
void parallelForHook(TaskFn task, void *context, int64_t n);

} // namespace tern::runtime

#endif // TERN_RUNTIME_THREADPOOL_H
