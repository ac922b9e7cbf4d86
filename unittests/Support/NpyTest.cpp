//===- NpyTest.cpp - Tests for the .npy reader and writer -----------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <unistd.h>

using namespace tern;

namespace {

std::string tempPath(const char *name) {
  return std::string("/tmp/tern-npy-test-") + std::to_string(getpid()) + "-" + name;
}

/// A .npy file with the given header text (padded) and data bytes.
void writeRaw(const std::string &path, const std::string &header,
              const std::string &data) {
  std::string text = header;
  size_t total = 10 + text.size() + 1;
  text.append((64 - total % 64) % 64, ' ');
  text.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  char len[2] = {char(text.size() & 0xff), char(text.size() >> 8)};
  out.write(len, 2);
  out << text << data;
}

TEST(Npy, RoundTripsEveryType) {
  for (DType dtype : {DType::F32, DType::F16, DType::F64, DType::I8, DType::I16,
                      DType::I32, DType::I64, DType::U8}) {
    NpyArray array;
    array.dtype = dtype;
    array.shape = {2, 3};
    array.data.resize(6 * dtypeBytes(dtype));
    for (size_t i = 0; i < array.data.size(); ++i)
      array.data[i] = char(i * 7);
    std::string path = tempPath("rt.npy"), error;
    ASSERT_TRUE(writeNpy(path, array, error)) << error;
    NpyArray back;
    ASSERT_TRUE(readNpy(path, back, error)) << error;
    EXPECT_EQ(back.dtype, dtype);
    EXPECT_EQ(back.shape, array.shape);
    EXPECT_EQ(back.data, array.data);
    std::remove(path.c_str());
  }
}

TEST(Npy, ScalarsAndVectors) {
  std::string path = tempPath("shape.npy"), error;
  NpyArray scalar;
  scalar.data.assign(4, 0);
  ASSERT_TRUE(writeNpy(path, scalar, error));
  NpyArray back;
  ASSERT_TRUE(readNpy(path, back, error)) << error;
  EXPECT_TRUE(back.shape.empty());
  writeRaw(path, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }",
           std::string(12, '\0'));
  ASSERT_TRUE(readNpy(path, back, error)) << error;
  EXPECT_EQ(back.shape, std::vector<int64_t>{3});
  std::remove(path.c_str());
}

struct BadFile {
  const char *header;
  size_t dataBytes;
  const char *message;
};

class RejectsNpy : public ::testing::TestWithParam<BadFile> {};

TEST_P(RejectsNpy, WithMessageNamingTheFile) {
  std::string path = tempPath("bad.npy"), error;
  writeRaw(path, GetParam().header, std::string(GetParam().dataBytes, '\0'));
  NpyArray array;
  EXPECT_FALSE(readNpy(path, array, error));
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find(GetParam().message), std::string::npos) << error;
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(
    Files, RejectsNpy,
    ::testing::Values(
        BadFile{"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20,
                "truncated data"},
        BadFile{"{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8,
                "unsupported element type '>f4'"},
        BadFile{"{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16,
                "unsupported element type"},
        BadFile{"{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16,
                "Fortran-ordered"},
        BadFile{"{'descr': '<f4', 'shape': (2,), }", 8, "lacks descr"},
        BadFile{"{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 8,
                "bad shape"}));

TEST(Npy, NotAnNpyFile) {
  std::string path = tempPath("text.npy"), error;
  std::ofstream(path) << "hello";
  NpyArray array;
  EXPECT_FALSE(readNpy(path, array, error));
  EXPECT_NE(error.find("not a .npy file"), std::string::npos) << error;
  EXPECT_FALSE(readNpy(tempPath("missing.npy"), array, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
  std::remove(path.c_str());
}

} // namespace
