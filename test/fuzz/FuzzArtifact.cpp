//===- FuzzArtifact.cpp - Artifact loader fuzz target ---------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Input: the bytes of an artifact file. What the runtime reads from an
// artifact before it trusts it: the ELF headers checked before dlopen
// (checkElfImage) and the header records (ArtifactMetadata::parse: format
// version, target, functions and their signatures, weights, model and
// tokenizer records). Whatever parses must serialize and parse back to the
// same records. dlopen itself is the system loader's and is not fuzzed.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Artifact.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string error;
  (void)tern::checkElfImage(
      [&](void *buffer, size_t bytes, uint64_t offset) {
        if (offset > size || bytes > size - offset)
          return false;
        std::memcpy(buffer, data + offset, bytes);
        return true;
      },
      size, error);

  std::string text(reinterpret_cast<const char *>(data), size);
  tern::ArtifactMetadata metadata;
  error.clear();
  if (!tern::ArtifactMetadata::parse(text, metadata, error)) {
    if (error.empty())
      std::abort();
    return 0;
  }
  std::string serialized = metadata.serialize();
  tern::ArtifactMetadata again;
  if (!tern::ArtifactMetadata::parse(serialized, again, error) ||
      again.serialize() != serialized) {
    std::fprintf(stderr, "round trip failed (%s); serialized:\n%s\nagain:\n%s\n",
                 error.c_str(), serialized.c_str(), again.serialize().c_str());
    std::abort();
  }
  return 0;
}
