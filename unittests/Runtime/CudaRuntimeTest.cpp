//===- CudaRuntimeTest.cpp - Tests for running CUDA artifacts -------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Runs the hand-made CUDA artifact (test/tools/tern-run/Inputs/
// cuda_artifact.c) through the runtime's C API with the stand-in driver
// (Inputs/fake_cuda.c), both built beside this test, and checks the
// residency of tensors from the fake's log of copies: an input is uploaded
// once and stays on the GPU across calls, tern_tensor_data downloads it once
// when an entry point may have written it, and host writes after that are
// uploaded again.
//
//===----------------------------------------------------------------------===//
#include "tern-c/runtime.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

class CudaRuntimeTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    // Before the runtime's first use of the driver, which it keeps.
    setenv("TERN_CUDA_DRIVER", TERN_FAKE_CUDA_PATH, 1);
    unsetenv("TERN_CUDA_DEVICE");
    unsetenv("TERN_FAKE_CUDA_MEMORY");
    char pattern[] = "/tmp/tern-cuda-runtime-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
    setenv("TERN_FAKE_CUDA_LOG", (dir + "/log").c_str(), 1);
  }

  static void TearDownTestSuite() {
    unlink((dir + "/log").c_str());
    rmdir(dir.c_str());
  }

  void SetUp() override {
    ASSERT_EQ(tern_artifact_load(TERN_CUDA_ARTIFACT_PATH, &artifact), TERN_OK)
        << tern_last_error();
    clearLog();
  }

  void TearDown() override {
    for (tern_tensor *t : tensors)
      tern_tensor_free(t);
    tern_artifact_free(artifact);
  }

  static void clearLog() { std::ofstream(dir + "/log", std::ios::trunc); }

  /// The fake driver's log since the last clearLog(), one entry a line.
  static std::vector<std::string> log() {
    std::ifstream in(dir + "/log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }

  tern_tensor *vector(std::vector<float> values) {
    int64_t n = int64_t(values.size());
    tern_tensor *t = nullptr;
    EXPECT_EQ(tern_tensor_create(TERN_F32, 1, &n, values.data(), &t), TERN_OK);
    tensors.push_back(t);
    return t;
  }

  std::vector<float> values(tern_tensor *t) {
    const float *data = static_cast<const float *>(tern_tensor_data(t));
    EXPECT_NE(data, nullptr) << tern_last_error();
    if (!data)
      return {};
    return std::vector<float>(data, data + tern_tensor_size_bytes(t) / 4);
  }

  /// Runs a one-input, one-result entry point; the result is freed later.
  tern_tensor *run(const char *function, tern_tensor *input) {
    tern_tensor *result = nullptr;
    EXPECT_EQ(tern_run(artifact, function, &input, 1, &result, 1), TERN_OK)
        << tern_last_error();
    if (result)
      tensors.push_back(result);
    return result;
  }

  static std::string dir;
  tern_artifact *artifact = nullptr;
  std::vector<tern_tensor *> tensors;
};

std::string CudaRuntimeTest::dir;

using Log = std::vector<std::string>;

TEST_F(CudaRuntimeTest, InputIsUploadedOnceAndStaysOnTheGpu) {
  tern_tensor *x = vector({1, 2, 3, 4});
  tern_tensor *first = run("main", x);
  tern_tensor *second = run("main", x);
  ASSERT_TRUE(first && second);
  // Each call reads the error word and its result; the input goes up once.
  EXPECT_EQ(log(), (Log{"htod 16", "launch tern_copy grid=1,1,1 block=256,1,1",
                        "launch tern_copy grid=1,1,1 block=256,1,1", "dtoh 4",
                        "dtoh 16", "launch tern_copy grid=1,1,1 block=256,1,1",
                        "launch tern_copy grid=1,1,1 block=256,1,1", "dtoh 4",
                        "dtoh 16"}));
  EXPECT_EQ(values(first), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(values(second), (std::vector<float>{1, 2, 3, 4}));

  // The input may have been written on the GPU: its host side is
  // downloaded once, when asked for.
  clearLog();
  EXPECT_EQ(values(x), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(values(x), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(log(), (Log{"dtoh 16"}));

  // A host write after tern_tensor_data goes up with the next call.
  static_cast<float *>(tern_tensor_data(x))[2] = 30;
  clearLog();
  tern_tensor *third = run("main", x);
  ASSERT_TRUE(third);
  EXPECT_EQ(log().front(), "htod 16");
  EXPECT_EQ(values(third), (std::vector<float>{1, 2, 30, 4}));
}

TEST_F(CudaRuntimeTest, InPlaceWritesStayOnTheGpuUntilRead) {
  tern_tensor *cache = vector({0, 0, 0});
  tern_tensor *a = vector({1, 2, 3}), *b = vector({4, 5, 6});
  for (tern_tensor *x : {a, b}) {
    tern_tensor *inputs[] = {cache, x};
    ASSERT_EQ(tern_run(artifact, "store", inputs, 2, nullptr, 0), TERN_OK)
        << tern_last_error();
  }
  // The cache went up once and did not come back between the calls.
  EXPECT_EQ(log(), (Log{"htod 12", "htod 12",
                        "launch tern_copy grid=1,1,1 block=256,1,1", "dtoh 4",
                        "htod 12", "launch tern_copy grid=1,1,1 block=256,1,1",
                        "dtoh 4"}));
  EXPECT_EQ(values(cache), (std::vector<float>{4, 5, 6}));
}

TEST_F(CudaRuntimeTest, ResultThatIsAnInputKeepsTheInputOnTheGpu) {
  tern_tensor *x = vector({7, 8});
  tern_tensor *first = run("identity", x);
  tern_tensor *second = run("identity", x);
  ASSERT_TRUE(first && second);
  EXPECT_NE(tern_tensor_data(first), tern_tensor_data(second));
  EXPECT_EQ(values(first), (std::vector<float>{7, 8}));
  EXPECT_EQ(values(second), (std::vector<float>{7, 8}));
  EXPECT_EQ(values(x), (std::vector<float>{7, 8}));
}

TEST_F(CudaRuntimeTest, DeviceErrorFailsOneCallOnly) {
  tern_tensor *x = vector({1});
  tern_tensor *result = x;
  EXPECT_EQ(tern_run(artifact, "fail", &x, 1, &result, 1),
            TERN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(result, nullptr);
  EXPECT_NE(std::string(tern_last_error()).find("do not fit the KV cache"),
            std::string::npos)
      << tern_last_error();
  // The error word was reset: the next call succeeds.
  tern_tensor *ok = run("main", x);
  ASSERT_TRUE(ok);
  EXPECT_EQ(values(ok), (std::vector<float>{1}));
}

TEST_F(CudaRuntimeTest, WeightsAreUploadedAtLoad) {
  tern_tensor *w = nullptr;
  ASSERT_EQ(tern_run(artifact, "weights", nullptr, 0, &w, 1), TERN_OK)
      << tern_last_error();
  tensors.push_back(w);
  EXPECT_EQ(values(w), (std::vector<float>{1.5f, -2.0f}));
}

TEST_F(CudaRuntimeTest, TensorOutlivesTheArtifact) {
  tern_tensor *x = vector({5, 6});
  ASSERT_TRUE(run("main", x));
  tern_artifact_free(artifact);
  artifact = nullptr;
  EXPECT_EQ(values(x), (std::vector<float>{5, 6}));
}

} // namespace
