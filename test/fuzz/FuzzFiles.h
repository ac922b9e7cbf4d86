//===- FuzzFiles.h - Fuzz inputs as files ------------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The readers under fuzz take paths (they map files, resolve names inside a
// model directory), so each input is written to a private directory made
// once per process.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TEST_FUZZ_FUZZFILES_H
#define TERN_TEST_FUZZ_FUZZFILES_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace tern::fuzz {

/// A directory of this process's own, made on first use.
inline const std::string &workDirectory() {
  static const std::string dir = [] {
    const char *tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") +
                          "/tern-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data()))
      std::abort();
    return pattern;
  }();
  return dir;
}

/// Writes `data` to `name` in the work directory; returns its path.
inline std::string writeFile(const std::string &name, std::string_view data) {
  std::string path = workDirectory() + "/" + name;
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    std::abort();
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f) != data.size())
    std::abort();
  std::fclose(f);
  return path;
}

/// Splits an input into two parts at the first "\n----\n" (the second part
/// empty when there is none): how the targets that read two files (a
/// checkpoint's config and tensors, a tokenizer and a text) get both.
inline std::pair<std::string_view, std::string_view>
splitInput(const uint8_t *data, size_t size) {
  std::string_view all(reinterpret_cast<const char *>(data), size);
  size_t at = all.find("\n----\n");
  if (at == std::string_view::npos)
    return {all, {}};
  return {all.substr(0, at), all.substr(at + 6)};
}

} // namespace tern::fuzz

#endif // TERN_TEST_FUZZ_FUZZFILES_H
