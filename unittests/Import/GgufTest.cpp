//===- GgufTest.cpp - The GGUF container reader ---------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Builds GGUF files byte by byte (the layout written out here, not taken
// from another reader), checks what the reader makes of a good one, and that
// each kind of damage is an error naming the file and the problem.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/GGUF/Blocks.h"
#include "tern/Import/GGUF/Gguf.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <string>

using namespace mlir::tern::gguf;

namespace {

/// A little-endian GGUF writer for the tests.
struct Writer {
  std::string bytes;
  template <typename T> Writer &put(T v) {
    bytes.append(reinterpret_cast<const char *>(&v), sizeof(T));
    return *this;
  }
  Writer &str(const std::string &s) {
    put<uint64_t>(s.size());
    bytes += s;
    return *this;
  }
  Writer &header(uint64_t tensors, uint64_t entries, uint32_t version = 3) {
    bytes += "GGUF";
    return put<uint32_t>(version).put<uint64_t>(tensors).put<uint64_t>(entries);
  }
  Writer &pad(size_t alignment) {
    while (bytes.size() % alignment)
      bytes += '\0';
    return *this;
  }
};

std::string writeFile(const std::string &name, const std::string &bytes) {
  llvm::SmallString<128> path;
  llvm::sys::fs::createTemporaryFile(name, "gguf", path);
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  out << bytes;
  return path.str().str();
}

/// A small valid file: metadata of several types, an F32 [2, 3] matrix and
/// a TQ2_0 [1, 256] row.
std::string goodFile(uint32_t alignment = 32) {
  Writer w;
  w.header(2, 5);
  w.str("general.architecture").put<uint32_t>(8).str("llama");
  w.str("llama.block_count").put<uint32_t>(4).put<uint32_t>(2);
  w.str("llama.rope.freq_base").put<uint32_t>(6).put<float>(10000.0f);
  w.str("tokenizer.ggml.tokens").put<uint32_t>(9).put<uint32_t>(8).put<uint64_t>(3)
      .str("a").str("b").str("<s>");
  w.str("general.alignment").put<uint32_t>(4).put<uint32_t>(alignment);
  w.str("weight").put<uint32_t>(2).put<uint64_t>(3).put<uint64_t>(2)
      .put<uint32_t>(0).put<uint64_t>(0);
  w.str("tq").put<uint32_t>(2).put<uint64_t>(256).put<uint64_t>(1)
      .put<uint32_t>(35).put<uint64_t>(alignment * ((24 + alignment - 1) / alignment));
  w.pad(alignment);
  for (int i = 0; i < 6; ++i)
    w.put<float>(float(i) + 0.5f);
  w.pad(alignment);
  for (int i = 0; i < 66; ++i)
    w.put<uint8_t>(uint8_t(i));
  return w.bytes;
}

TEST(Gguf, ReadsMetadataAndTensors) {
  std::string error;
  std::string path = writeFile("good", goodFile());
  auto file = GgufFile::open(path, error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(file->version(), 3u);
  EXPECT_EQ(file->alignment(), 32u);
  ASSERT_EQ(file->metadata().size(), 5u);
  EXPECT_EQ(file->find("general.architecture")->string, "llama");
  EXPECT_EQ(*file->find("llama.block_count")->asInteger(), 2);
  EXPECT_EQ(*file->find("llama.rope.freq_base")->asFloat(), 10000.0);
  const Value *tokens = file->find("tokenizer.ggml.tokens");
  ASSERT_EQ(tokens->elements.size(), 3u);
  EXPECT_EQ(tokens->elements[2].string, "<s>");
  ASSERT_EQ(file->tensors().size(), 2u);
  const TensorInfo *weight = file->findTensor("weight");
  ASSERT_TRUE(weight);
  EXPECT_EQ(weight->ne, (std::vector<int64_t>{3, 2}));
  ASSERT_EQ(weight->data.size(), 24u);
  float fifth;
  std::memcpy(&fifth, weight->data.data() + 16, 4);
  EXPECT_EQ(fifth, 4.5f);
  const TensorInfo *tq = file->findTensor("tq");
  ASSERT_EQ(tq->data.size(), 66u);
  EXPECT_EQ(uint8_t(tq->data[65]), 65);
  EXPECT_EQ(typeName(tq->type), "TQ2_0");
  llvm::sys::fs::remove(path);
}

TEST(Gguf, StorageOfEachType) {
  EXPECT_EQ(*GgufFile::storageBytes(0, 8, 16), 64u);     // F32
  EXPECT_EQ(*GgufFile::storageBytes(30, 8, 16), 32u);    // BF16
  EXPECT_EQ(*GgufFile::storageBytes(8, 64, 128), 136u);  // Q8_0: 4 x 34
  EXPECT_EQ(*GgufFile::storageBytes(34, 256, 512), 108u); // TQ1_0: 2 x 54
  EXPECT_EQ(*GgufFile::storageBytes(35, 256, 512), 132u); // TQ2_0: 2 x 66
  EXPECT_EQ(*GgufFile::storageBytes(41, 128, 256), 36u);  // Q1_0: 2 x 18
  EXPECT_EQ(*GgufFile::storageBytes(36, 128, 256), 96u);  // I2_S: 64 + 32
  EXPECT_FALSE(GgufFile::storageBytes(35, 100, 100));     // partial block
  EXPECT_FALSE(GgufFile::storageBytes(12, 256, 256));     // Q4_K: unknown
}

/// Opening `bytes` fails with an error containing `message`.
void expectRejected(const std::string &name, const std::string &bytes,
                    const std::string &message) {
  std::string error;
  std::string path = writeFile(name, bytes);
  EXPECT_FALSE(GgufFile::open(path, error)) << name;
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find(message), std::string::npos) << error;
  llvm::sys::fs::remove(path);
}

TEST(Gguf, RejectsDamage) {
  std::string good = goodFile();
  expectRejected("magic", "GGML" + good.substr(4), "no 'GGUF' magic");
  {
    std::string v1 = good;
    v1[4] = 1;
    expectRejected("version", v1, "GGUF version 1 is not supported");
  }
  expectRejected("truncated-header", good.substr(0, 10), "the file ends inside");
  expectRejected("truncated-data", good.substr(0, good.size() - 10),
                 "'tq' (TQ2_0, 66 bytes at data offset 32) runs past the end");
  {
    Writer w;
    w.header(0, uint64_t(1) << 60);
    expectRejected("count", w.bytes, "the metadata count");
  }
  {
    Writer w;
    w.header(0, 1);
    w.put<uint64_t>(uint64_t(1) << 62);
    w.bytes.append(16, '\0');
    expectRejected("string", w.bytes, "metadata key #0 is 4611686018427387904 bytes long");
  }
  {
    Writer w;
    w.header(0, 1).str("k").put<uint32_t>(9).put<uint32_t>(4).put<uint64_t>(1000);
    expectRejected("array", w.bytes, "'k' claims 1000 elements");
  }
  {
    Writer w;
    w.header(0, 1).str("k").put<uint32_t>(13);
    expectRejected("value-type", w.bytes, "unknown value type 13");
  }
  {
    Writer w;
    w.header(1, 0).str("t").put<uint32_t>(2).put<uint64_t>(4).put<uint64_t>(1)
        .put<uint32_t>(0).put<uint64_t>(8);
    w.pad(32);
    w.bytes.append(64, '\0');
    expectRejected("misaligned", w.bytes, "not a multiple of the 32-byte alignment");
  }
  {
    Writer w;
    w.header(1, 0).str("t").put<uint32_t>(2).put<uint64_t>(100).put<uint64_t>(1)
        .put<uint32_t>(35).put<uint64_t>(0);
    w.pad(32);
    w.bytes.append(66, '\0');
    expectRejected("partial-block", w.bytes, "do not divide");
  }
  {
    Writer w;
    w.header(1, 0).str("t").put<uint32_t>(5);
    w.bytes.append(16, '\0');
    expectRejected("rank", w.bytes, "has 5 dimensions");
  }
  {
    Writer w;
    w.header(0, 2).str("k").put<uint32_t>(4).put<uint32_t>(1)
        .str("k").put<uint32_t>(4).put<uint32_t>(2);
    expectRejected("duplicate", w.bytes, "appears twice");
  }
}

/// The well-formed file python/tern/gguf/writer.py made for the corpus.
TEST(Gguf, ReadsThePythonWritersFile) {
  std::string error;
  auto file = GgufFile::open(std::string(TERN_GGUF_CORPUS) + "/good.gguf", error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(file->find("general.architecture")->string, "llama");
  EXPECT_EQ(*file->find("llama.block_count")->asInteger(), 1);
  const TensorInfo *weight = file->findTensor("weight");
  ASSERT_TRUE(weight);
  EXPECT_EQ(weight->ne, (std::vector<int64_t>{3, 2})); // a [2, 3] matrix
  float last;
  std::memcpy(&last, weight->data.data() + 20, 4);
  EXPECT_EQ(last, 5.0f);
  EXPECT_EQ(file->findTensor("tq")->data.size(), 66u);
}

/// blocks.gguf: weights encoded by tern.gguf.ternary (Python, written from
/// the layouts) decode to the F32 tensor stored beside them, exactly.
TEST(Gguf, DecodesThePythonEncodersBlocks) {
  std::string error;
  auto file = GgufFile::open(std::string(TERN_GGUF_CORPUS) + "/blocks.gguf", error);
  ASSERT_TRUE(file) << error;
  const TensorInfo *expected = file->findTensor("expected");
  ASSERT_TRUE(expected);
  int64_t count = expected->numElements();
  std::vector<float> want(static_cast<size_t>(count)), got(want.size());
  ASSERT_TRUE(dequantize(0, expected->data, count, want.data()));
  for (const char *name : {"tq2_0", "tq1_0"}) {
    const TensorInfo *t = file->findTensor(name);
    ASSERT_TRUE(t) << name;
    EXPECT_EQ(t->ne, expected->ne);
    ASSERT_TRUE(dequantize(t->type, t->data, count, got.data())) << name;
    EXPECT_EQ(got, want) << name;
  }
}

/// The committed corpus (test/Import/GGUF/bad, made by make_bad_files.py):
/// every file is rejected with the message EXPECTED gives it.
TEST(Gguf, RejectsTheBadFileCorpus) {
  std::ifstream expected(std::string(TERN_GGUF_CORPUS) + "/EXPECTED");
  ASSERT_TRUE(expected.good());
  int files = 0;
  for (std::string line; std::getline(expected, line);) {
    if (line.empty() || line[0] == '#')
      continue;
    size_t colon = line.find(": ");
    ASSERT_NE(colon, std::string::npos) << line;
    std::string path = std::string(TERN_GGUF_CORPUS) + "/" + line.substr(0, colon);
    std::string error;
    EXPECT_FALSE(GgufFile::open(path, error)) << path;
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find(line.substr(colon + 2)), std::string::npos)
        << path << ": " << error;
    ++files;
  }
  EXPECT_GE(files, 20);
}

} // namespace
