//===- Npy.h - numpy .npy files ---------------------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Reads and writes numpy's .npy format (versions 1.0 to 3.0, little-endian,
// C order), the tensor exchange format of tern-run and the tests.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_SUPPORT_NPY_H
#define TERN_SUPPORT_NPY_H

#include "tern/Support/Artifact.h"

#include <string>
#include <vector>

namespace tern {

struct NpyArray {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<char> data;

  int64_t numElements() const;
};

/// Reads `path`; on failure returns false with a message naming the file.
bool readNpy(const std::string &path, NpyArray &out, std::string &error);

/// Writes `array` to `path` as .npy version 1.0.
bool writeNpy(const std::string &path, const NpyArray &array,
              std::string &error);

} // namespace tern

#endif // TERN_SUPPORT_NPY_H
