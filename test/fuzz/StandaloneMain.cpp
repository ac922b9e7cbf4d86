//===- StandaloneMain.cpp - Replays fuzz inputs without libFuzzer ---------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// In builds without -DTERN_ENABLE_FUZZERS the fuzz targets link this main
// instead of libFuzzer's: it runs LLVMFuzzerTestOneInput once on each file
// named on the command line (a directory: on each file in it; flags such as
// libFuzzer's -runs=0 are ignored, so one command line replays inputs with
// either kind of binary), so the test
// suite replays the corpora and regression inputs on every build, and under
// the sanitizers in the sanitizer build.
//
//===----------------------------------------------------------------------===//
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool runFile(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()),
                         bytes.size());
  return true;
}

int main(int argc, char **argv) {
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') // libFuzzer's flags (-runs=0): nothing to do here
      continue;
    std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto &entry : std::filesystem::directory_iterator(arg))
        if (entry.is_regular_file())
          files.push_back(entry.path());
      std::sort(files.begin(), files.end());
      for (const auto &file : files) {
        if (!runFile(file))
          return 1;
        ++count;
      }
    } else {
      if (!runFile(arg))
        return 1;
      ++count;
    }
  }
  std::printf("ran %zu inputs\n", count);
  return 0;
}
