//===- RuntimeTest.cpp - Tests for the runtime's C API --------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Compiles small artifacts with ternc (once per test binary), then checks that
// the runtime runs them correctly on 1 and 2 threads and that every kind of
// bad artifact or bad call fails with its own status and a clear message.
//
//===----------------------------------------------------------------------===//
#include "tern-c/runtime.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const std::string &path, const std::string &data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

constexpr int64_t kN = 37, kK = 300; // N: a partial register tile; K: a partial block

class RuntimeTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/tern-runtime-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
    std::mt19937 rng(5);
    weights.resize(kN * kK);
    std::ostringstream w;
    w << "dense<[";
    for (int64_t n = 0; n < kN; ++n) {
      w << (n ? ", [" : "[");
      for (int64_t k = 0; k < kK; ++k) {
        weights[n * kK + k] = int8_t(int(rng() % 3) - 1);
        w << (k ? ", " : "") << int(weights[n * kK + k]);
      }
      w << "]";
    }
    w << "]>";
    std::ofstream(dir + "/mm.mlir")
        << "func.func @mm(%a: tensor<?x" << kK << "xi8>) -> tensor<?x" << kN
        << "xi32> {\n  %w = arith.constant " << w.str() << " : tensor<" << kN
        << "x" << kK << "xi8>\n  %r = tern.matmul %a, %w : tensor<?x" << kK
        << "xi8>, tensor<" << kN << "x" << kK << "xi8> -> tensor<?x" << kN
        << "xi32>\n  return %r : tensor<?x" << kN << "xi32>\n}\n";
    for (const char *mode : {"embed", "external"}) {
      // $TERN_TERNC: another build's compiler (the sanitizer job tests its
      // runtime on artifacts of the normal build's ternc).
      const char *ternc = std::getenv("TERN_TERNC");
      std::string cmd = std::string(ternc && *ternc ? ternc : TERN_TERNC_PATH) +
                        " " + dir + "/mm.mlir -o " +
                        dir + "/" + mode + ".so --weights=" + mode;
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
  }

  static void TearDownTestSuite() {
    std::system(("rm -rf " + dir).c_str());
  }

  void TearDown() override {
    tern_artifact_free(artifact);
    artifact = nullptr;
    unsetenv("TERN_DISABLE_CPU_FEATURES");
  }

  /// A private copy of an artifact (and its weights) to damage.
  std::string copyArtifact(const std::string &mode, const std::string &name) {
    std::string so = dir + "/" + name + ".so";
    writeFile(so, readFile(dir + "/" + mode + ".so"));
    if (mode == "external") {
      // The header names "external.so.weights"; keep that name beside it.
      std::string subdir = dir + "/" + name;
      std::system(("mkdir -p " + subdir).c_str());
      std::string copy = subdir + "/external.so";
      writeFile(copy, readFile(dir + "/external.so"));
      writeFile(copy + ".weights", readFile(dir + "/external.so.weights"));
      return copy;
    }
    return so;
  }

  static void patch(const std::string &path, const std::string &from,
                    const std::string &to) {
    std::string data = readFile(path);
    size_t at = data.find(from);
    ASSERT_NE(at, std::string::npos) << "'" << from << "' not in " << path;
    data.replace(at, from.size(), to);
    writeFile(path, data);
  }

  tern_status load(const std::string &path) {
    tern_artifact_free(artifact);
    artifact = nullptr;
    return tern_artifact_load(path.c_str(), &artifact);
  }

  std::string error() { return tern_last_error(); }

  /// Runs mm on random activations and compares with plain loops.
  void expectCorrectProduct(int64_t m) {
    std::mt19937 rng{unsigned(m)};
    std::vector<int8_t> a(m * kK);
    for (auto &v : a)
      v = int8_t(rng());
    int64_t shape[2] = {m, kK};
    tern_tensor *input, *output = nullptr;
    ASSERT_EQ(tern_tensor_create(TERN_I8, 2, shape, a.data(), &input), TERN_OK);
    ASSERT_EQ(tern_run(artifact, "mm", &input, 1, &output, 1), TERN_OK) << error();
    ASSERT_EQ(tern_tensor_dtype(output), TERN_I32);
    ASSERT_EQ(tern_tensor_rank(output), 2u);
    EXPECT_EQ(tern_tensor_shape(output)[0], m);
    EXPECT_EQ(tern_tensor_shape(output)[1], kN);
    const int32_t *c = static_cast<const int32_t *>(tern_tensor_data(output));
    for (int64_t i = 0; i < m; ++i)
      for (int64_t n = 0; n < kN; ++n) {
        int32_t want = 0;
        for (int64_t k = 0; k < kK; ++k)
          want += int32_t(a[i * kK + k]) * weights[n * kK + k];
        ASSERT_EQ(c[i * kN + n], want) << "at [" << i << ", " << n << "]";
      }
    tern_tensor_free(input);
    tern_tensor_free(output);
  }

  static std::string dir;
  static std::vector<int8_t> weights;
  tern_artifact *artifact = nullptr;
};

std::string RuntimeTest::dir;
std::vector<int8_t> RuntimeTest::weights;

TEST_F(RuntimeTest, RunsEmbeddedAndExternalWeightsOnOneAndTwoThreads) {
  for (const char *mode : {"embed", "external"})
    for (int threads : {1, 2}) {
      tern_set_num_threads(threads);
      EXPECT_EQ(tern_get_num_threads(), threads);
      ASSERT_EQ(load(dir + "/" + mode + ".so"), TERN_OK) << error();
      for (int64_t m : {1, 4, 7})
        expectCorrectProduct(m);
    }
}

TEST_F(RuntimeTest, ListsSignatures) {
  ASSERT_EQ(load(dir + "/embed.so"), TERN_OK) << error();
  ASSERT_EQ(tern_artifact_num_functions(artifact), 1u);
  EXPECT_STREQ(tern_artifact_function_name(artifact, 0), "mm");
  EXPECT_EQ(tern_artifact_function_name(artifact, 1), nullptr);
  size_t inputs, results;
  ASSERT_EQ(tern_artifact_function_info(artifact, "mm", &inputs, &results), TERN_OK);
  EXPECT_EQ(inputs, 1u);
  EXPECT_EQ(results, 1u);
  tern_dtype dtype;
  size_t rank;
  const int64_t *shape;
  ASSERT_EQ(tern_artifact_input_info(artifact, "mm", 0, &dtype, &rank, &shape), TERN_OK);
  EXPECT_EQ(dtype, TERN_I8);
  ASSERT_EQ(rank, 2u);
  EXPECT_EQ(shape[0], -1);
  EXPECT_EQ(shape[1], kK);
  ASSERT_EQ(tern_artifact_result_info(artifact, "mm", 0, &dtype, &rank, &shape), TERN_OK);
  EXPECT_EQ(dtype, TERN_I32);
  EXPECT_EQ(shape[1], kN);
  EXPECT_EQ(tern_artifact_input_info(artifact, "mm", 1, &dtype, &rank, &shape),
            TERN_ERROR_INVALID_ARGUMENT);
}

TEST_F(RuntimeTest, MissingFile) {
  EXPECT_EQ(load(dir + "/nope.so"), TERN_ERROR_IO);
  EXPECT_NE(error().find("nope.so: cannot open"), std::string::npos) << error();
}

TEST_F(RuntimeTest, NotASharedLibrary) {
  writeFile(dir + "/text.so", "hello\n");
  EXPECT_EQ(load(dir + "/text.so"), TERN_ERROR_INVALID_ARTIFACT);
  EXPECT_NE(error().find("cannot load the artifact"), std::string::npos) << error();
}

TEST_F(RuntimeTest, WrongMagic) {
  std::string so = copyArtifact("embed", "magic");
  patch(so, "tern-artifact 1\n", "tern-artifakt 1\n");
  EXPECT_EQ(load(so), TERN_ERROR_INVALID_ARTIFACT);
  EXPECT_NE(error().find("bad magic"), std::string::npos) << error();
}

TEST_F(RuntimeTest, NewerFormatVersion) {
  std::string so = copyArtifact("embed", "version");
  patch(so, "tern-artifact 1\n", "tern-artifact 9\n");
  EXPECT_EQ(load(so), TERN_ERROR_VERSION);
  EXPECT_NE(error().find("format version 9"), std::string::npos) << error();
}

TEST_F(RuntimeTest, TruncatedArtifact) {
  std::string so = dir + "/truncated.so";
  std::string data = readFile(dir + "/embed.so");
  writeFile(so, data.substr(0, data.size() / 2));
  EXPECT_EQ(load(so), TERN_ERROR_INVALID_ARTIFACT);
  EXPECT_NE(error().find("truncated.so: cannot load the artifact"), std::string::npos)
      << error();
}

TEST_F(RuntimeTest, TruncatedHeader) {
  std::string so = copyArtifact("embed", "header");
  patch(so, "end\n", "ent\n");
  EXPECT_EQ(load(so), TERN_ERROR_INVALID_ARTIFACT);
  EXPECT_NE(error().find("unknown record 'ent'"), std::string::npos) << error();
}

TEST_F(RuntimeTest, TruncatedWeights) {
  std::string so = copyArtifact("external", "short");
  std::string weights = readFile(so + ".weights");
  writeFile(so + ".weights", weights.substr(0, weights.size() - 1));
  EXPECT_EQ(load(so), TERN_ERROR_WEIGHTS);
  EXPECT_NE(error().find("(truncated)"), std::string::npos) << error();
}

TEST_F(RuntimeTest, MissingWeights) {
  std::string so = copyArtifact("external", "noweights");
  std::remove((so + ".weights").c_str());
  EXPECT_EQ(load(so), TERN_ERROR_WEIGHTS);
  EXPECT_NE(error().find("cannot open the weights file"), std::string::npos) << error();
}

TEST_F(RuntimeTest, ChecksumMismatch) {
  std::string so = copyArtifact("external", "corrupt");
  std::string weights = readFile(so + ".weights");
  weights[weights.size() / 2] ^= 0x01;
  writeFile(so + ".weights", weights);
  EXPECT_EQ(load(so), TERN_ERROR_WEIGHTS);
  EXPECT_NE(error().find("checksum mismatch"), std::string::npos) << error();
}

TEST_F(RuntimeTest, DeclaredEntryPointMissing) {
  std::string so = copyArtifact("embed", "entry");
  patch(so, "function mm ", "function mx ");
  EXPECT_EQ(load(so), TERN_ERROR_INVALID_ARTIFACT);
  EXPECT_NE(error().find("entry point 'mx' is declared but missing"), std::string::npos)
      << error();
}

TEST_F(RuntimeTest, MissingCpuFeature) {
  setenv("TERN_DISABLE_CPU_FEATURES", "avx2", 1);
  EXPECT_EQ(load(dir + "/embed.so"), TERN_ERROR_CPU_FEATURES);
  EXPECT_NE(error().find("avx2"), std::string::npos) << error();
  EXPECT_NE(error().find("which this CPU lacks"), std::string::npos) << error();
}

TEST_F(RuntimeTest, UnknownFunction) {
  ASSERT_EQ(load(dir + "/embed.so"), TERN_OK) << error();
  tern_tensor *out = nullptr;
  EXPECT_EQ(tern_run(artifact, "nope", nullptr, 0, &out, 1), TERN_ERROR_NOT_FOUND);
  EXPECT_NE(error().find("no entry point 'nope'"), std::string::npos) << error();
}

TEST_F(RuntimeTest, WrongInputs) {
  ASSERT_EQ(load(dir + "/embed.so"), TERN_OK) << error();
  tern_tensor *out = nullptr;
  int64_t badK[2] = {2, kK + 1};
  tern_tensor *input;
  ASSERT_EQ(tern_tensor_create(TERN_I8, 2, badK, nullptr, &input), TERN_OK);
  EXPECT_EQ(tern_run(artifact, "mm", &input, 1, &out, 1), TERN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error().find("input #0 of 'mm' must be i8[?, 300], got i8[2, 301]"),
            std::string::npos)
      << error();
  tern_tensor_free(input);

  int64_t shape[2] = {2, kK};
  ASSERT_EQ(tern_tensor_create(TERN_F32, 2, shape, nullptr, &input), TERN_OK);
  EXPECT_EQ(tern_run(artifact, "mm", &input, 1, &out, 1), TERN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error().find("got f32[2, 300]"), std::string::npos) << error();
  EXPECT_EQ(tern_run(artifact, "mm", &input, 2, &out, 1), TERN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error().find("takes 1 inputs and returns 1 results, got 2 and 1"),
            std::string::npos)
      << error();
  tern_tensor_free(input);
  EXPECT_EQ(tern_run(artifact, "mm", nullptr, 1, &out, 1), TERN_ERROR_INVALID_ARGUMENT);
}

TEST_F(RuntimeTest, TensorCreation) {
  int64_t shape[2] = {3, -1};
  tern_tensor *t = nullptr;
  EXPECT_EQ(tern_tensor_create(TERN_F32, 2, shape, nullptr, &t), TERN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(t, nullptr);
  EXPECT_EQ(tern_tensor_create(tern_dtype(99), 0, nullptr, nullptr, &t),
            TERN_ERROR_INVALID_ARGUMENT);
  int64_t ok[1] = {5};
  const float data[5] = {1, 2, 3, 4, 5};
  ASSERT_EQ(tern_tensor_create(TERN_F32, 1, ok, data, &t), TERN_OK);
  EXPECT_EQ(tern_tensor_size_bytes(t), 20u);
  EXPECT_EQ(static_cast<float *>(tern_tensor_data(t))[4], 5.0f);
  tern_tensor_free(t);
  EXPECT_EQ(tern_artifact_load(nullptr, nullptr), TERN_ERROR_INVALID_ARGUMENT);
}

TEST_F(RuntimeTest, WrappedTensorsUseTheCallersMemory) {
  ASSERT_EQ(load(dir + "/embed.so"), TERN_OK) << error();
  alignas(64) int8_t a[2 * kK];
  for (int64_t i = 0; i < 2 * kK; ++i)
    a[i] = int8_t(i * 7 - 50);
  int64_t shape[2] = {2, kK};
  tern_tensor *input = nullptr, *output = nullptr;
  ASSERT_EQ(tern_tensor_wrap(TERN_I8, 2, shape, a, &input), TERN_OK) << error();
  EXPECT_EQ(tern_tensor_data(input), static_cast<void *>(a));
  ASSERT_EQ(tern_run(artifact, "mm", &input, 1, &output, 1), TERN_OK) << error();
  const int32_t *c = static_cast<const int32_t *>(tern_tensor_data(output));
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t n = 0; n < kN; ++n) {
      int32_t want = 0;
      for (int64_t k = 0; k < kK; ++k)
        want += int32_t(a[i * kK + k]) * weights[n * kK + k];
      ASSERT_EQ(c[i * kN + n], want) << "at [" << i << ", " << n << "]";
    }
  tern_tensor_free(input); // not `a`, which is on the stack
  tern_tensor_free(output);
  // Misaligned or missing memory is refused.
  EXPECT_EQ(tern_tensor_wrap(TERN_I8, 2, shape, a + 1, &input),
            TERN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(error().find("64-byte aligned"), std::string::npos) << error();
  EXPECT_EQ(tern_tensor_wrap(TERN_I8, 2, shape, nullptr, &input),
            TERN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(input, nullptr);
}

} // namespace
