//===- ThreadPoolTest.cpp - The runtime's parallel-for --------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Every index of every parallel-for runs exactly once, across many quick
// calls (workers spinning between tasks) and after idle gaps (workers
// asleep), for several pool sizes; pools shut down from either state.
//
//===----------------------------------------------------------------------===//
#include "ThreadPool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using tern::runtime::ThreadPool;

namespace {

struct Counts {
  std::vector<std::atomic<int>> hits;
  explicit Counts(size_t n) : hits(n) {}
};

void countRange(void *context, int64_t begin, int64_t end) {
  auto *counts = static_cast<Counts *>(context);
  for (int64_t i = begin; i < end; ++i)
    counts->hits[size_t(i)].fetch_add(1, std::memory_order_relaxed);
}

void expectEachOnce(ThreadPool &pool, int64_t n) {
  Counts counts{size_t(n)};
  pool.parallelFor(countRange, &counts, n);
  for (int64_t i = 0; i < n; ++i)
    ASSERT_EQ(counts.hits[size_t(i)].load(), 1) << "index " << i << " of " << n;
}

TEST(ThreadPool, ManyQuickCallsCoverEveryIndexOnce) {
  for (int threads : {1, 2, 3, 4}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.threads(), threads);
    for (int call = 0; call < 20000; ++call)
      expectEachOnce(pool, 1 + call % 37);
  }
}

TEST(ThreadPool, WorksAfterWorkersFallAsleep) {
  ThreadPool pool(3);
  for (int round = 0; round < 5; ++round) {
    expectEachOnce(pool, 1000);
    // Longer than the workers spin: they block on the condition variable.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(ThreadPool, ShutsDownWhileSpinningOrAsleep) {
  {
    ThreadPool pool(2);
    expectEachOnce(pool, 10);
  } // workers still spinning
  {
    ThreadPool pool(2);
    expectEachOnce(pool, 10);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }                   // workers asleep
  ThreadPool idle(4); // never used
}

TEST(ThreadPool, EmptyRangeRunsNothing) {
  ThreadPool pool(2);
  Counts counts(1);
  pool.parallelFor(countRange, &counts, 0);
  EXPECT_EQ(counts.hits[0].load(), 0);
}

} // namespace
