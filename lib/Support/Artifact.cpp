//===- Artifact.cpp - The Tern artifact format ----------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Support/Artifact.h"

#include <elf.h>

#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace tern {

namespace {
struct DTypeName {
  DType dtype;
  const char *name;
  size_t bytes;
};
constexpr DTypeName kDTypes[] = {
    {DType::F32, "f32", 4}, {DType::F16, "f16", 2}, {DType::BF16, "bf16", 2},
    {DType::F64, "f64", 8}, {DType::I8, "i8", 1},   {DType::I16, "i16", 2},
    {DType::I32, "i32", 4}, {DType::I64, "i64", 8}, {DType::U8, "u8", 1},
    {DType::Bool, "bool", 1}};
} // namespace

const char *toString(DType dtype) {
  for (const DTypeName &d : kDTypes)
    if (d.dtype == dtype)
      return d.name;
  return "?";
}

bool parseDType(const std::string &text, DType &out) {
  for (const DTypeName &d : kDTypes)
    if (text == d.name) {
      out = d.dtype;
      return true;
    }
  return false;
}

size_t dtypeBytes(DType dtype) {
  for (const DTypeName &d : kDTypes)
    if (d.dtype == dtype)
      return d.bytes;
  return 0;
}

static std::string hex64(uint64_t v) {
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%016" PRIx64, v);
  return buffer;
}

static void writeTensor(std::ostringstream &os, const char *kind,
                        const TensorSignature &t) {
  os << kind << ' ' << toString(t.dtype) << ' ' << t.shape.size();
  for (int64_t d : t.shape)
    os << ' ' << d;
  os << '\n';
}

std::string ArtifactMetadata::serialize() const {
  std::ostringstream os;
  os << "tern-artifact " << version << '\n';
  os << "target " << triple << ' ' << (cpu.empty() ? "generic" : cpu) << '\n';
  os << "features ";
  if (features.empty())
    os << '-';
  for (size_t i = 0; i < features.size(); ++i)
    os << (i ? "," : "") << features[i];
  os << '\n';
  if (!gpuArch.empty())
    os << "gpu " << kGpuKindCuda << ' ' << gpuArch << '\n';
  if (weightsExternal)
    os << "weights external " << weightsFile << ' ' << weightsBytes << ' '
       << hex64(weightsHash) << '\n';
  else
    os << "weights embedded " << weightsBytes << ' ' << hex64(weightsHash)
       << '\n';
  if (!model.architecture.empty())
    os << "model " << model.architecture << ' ' << model.layers << ' '
       << model.kvHeads << ' ' << model.headDim << ' ' << model.context << ' '
       << model.vocab << ' ' << model.bos << ' ' << model.eos << '\n';
  if (model.layerMacs > 0)
    os << "macs " << model.layerMacs << '\n';
  if (!model.stop.empty()) {
    os << "stop";
    for (int64_t id : model.stop)
      os << ' ' << id;
    os << '\n';
  }
  if (model.hasGeneration) {
    char line[160];
    // %.9g round-trips every float.
    std::snprintf(line, sizeof line, "generation %.9g %lld %.9g %.9g %lld\n",
                  double(model.temperature), static_cast<long long>(model.topK),
                  double(model.topP), double(model.repeatPenalty),
                  static_cast<long long>(model.maxNewTokens));
    os << line;
  }
  if (!model.chatFormat.empty())
    os << "chat " << model.chatFormat << '\n';
  for (const FunctionSignature &f : functions) {
    os << "function " << f.name << ' ' << f.inputs.size() << ' '
       << f.results.size() << '\n';
    for (const TensorSignature &t : f.inputs)
      writeTensor(os, "input", t);
    for (const TensorSignature &t : f.results)
      writeTensor(os, "result", t);
  }
  os << "end\n";
  return os.str();
}

namespace {
/// "sm_" then one or more digits.
bool isCudaArch(const std::string &arch) {
  if (arch.size() < 4 || arch.compare(0, 3, "sm_") != 0)
    return false;
  for (size_t i = 3; i < arch.size(); ++i)
    if (arch[i] < '0' || arch[i] > '9')
      return false;
  return true;
}

/// Reads whitespace-separated fields of one line, with errors naming it.
class LineReader {
public:
  LineReader(const std::string &line, int number)
      : stream(line), number(number) {}
  bool word(std::string &out) { return static_cast<bool>(stream >> out); }
  bool integer(int64_t &out) {
    std::string text;
    if (!word(text))
      return false;
    char *end = nullptr;
    errno = 0;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (errno || *end || text.empty())
      return false;
    out = v;
    return true;
  }
  bool real(float &out) {
    std::string text;
    if (!word(text))
      return false;
    char *end = nullptr;
    errno = 0;
    out = std::strtof(text.c_str(), &end);
    return !errno && !*end && !text.empty() && std::isfinite(out);
  }
  bool done() {
    std::string rest;
    return !(stream >> rest);
  }
  std::string where() const { return "line " + std::to_string(number); }

private:
  std::istringstream stream;
  int number;
};
} // namespace

bool ArtifactMetadata::parse(const std::string &text, ArtifactMetadata &out,
                             std::string &error) {
  out = ArtifactMetadata();
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  bool sawEnd = false, sawTarget = false, sawWeights = false;
  auto fail = [&](const std::string &what) {
    error = "artifact header, line " + std::to_string(number) + ": " + what;
    return false;
  };
  auto readTensor = [&](LineReader &r, TensorSignature &t) {
    std::string dtype;
    int64_t rank;
    if (!r.word(dtype) || !parseDType(dtype, t.dtype))
      return fail("unknown element type '" + dtype + "'");
    if (!r.integer(rank) || rank < 0 || rank > 16)
      return fail("bad rank");
    for (int64_t i = 0; i < rank; ++i) {
      int64_t d;
      if (!r.integer(d) || d < -1)
        return fail("bad dimension");
      t.shape.push_back(d);
    }
    return r.done() ? true : fail("trailing fields");
  };
  FunctionSignature *current = nullptr;
  size_t expectInputs = 0, expectResults = 0;
  auto complete = [&]() {
    return !current || (current->inputs.size() == expectInputs &&
                        current->results.size() == expectResults);
  };
  while (std::getline(lines, line)) {
    ++number;
    LineReader r(line, number);
    std::string key;
    if (!r.word(key))
      return fail("empty line");
    if (number == 1) {
      int64_t version;
      if (key != "tern-artifact" || !r.integer(version) || !r.done())
        return fail("not a Tern artifact header (bad magic)");
      if (version != kArtifactFormatVersion)
        return fail("format version " + std::to_string(version) +
                    ", but this runtime reads version " +
                    std::to_string(kArtifactFormatVersion));
      out.version = int(version);
      continue;
    }
    if (key == "target") {
      if (!r.word(out.triple) || !r.word(out.cpu) || !r.done())
        return fail("bad target record");
      sawTarget = true;
    } else if (key == "features") {
      std::string list;
      if (!r.word(list) || !r.done())
        return fail("bad features record");
      if (list != "-") {
        std::stringstream items(list);
        std::string item;
        while (std::getline(items, item, ',')) {
          if (item.empty())
            return fail("bad features record (an empty feature name)");
          out.features.push_back(item);
        }
        if (list.back() == ',')
          return fail("bad features record (an empty feature name)");
      }
    } else if (key == "gpu") {
      std::string kind, arch;
      if (!r.word(kind) || !r.word(arch) || !r.done())
        return fail("bad gpu record (expected 'gpu cuda sm_<digits>')");
      if (kind != kGpuKindCuda)
        return fail("unknown GPU kind '" + kind + "' (this runtime runs '" +
                    kGpuKindCuda + "')");
      if (!isCudaArch(arch))
        return fail("bad CUDA architecture '" + arch +
                    "' (expected sm_<digits>, e.g. sm_90)");
      out.gpuArch = arch;
    } else if (key == "weights") {
      std::string mode, hash;
      int64_t bytes;
      if (!r.word(mode))
        return fail("bad weights record");
      out.weightsExternal = mode == "external";
      if (mode != "embedded" && mode != "external")
        return fail("weights must be 'embedded' or 'external'");
      if (out.weightsExternal && !r.word(out.weightsFile))
        return fail("bad weights record");
      if (!r.integer(bytes) || bytes < 0 || !r.word(hash) ||
          hash.size() != 16 || !r.done())
        return fail("bad weights record");
      out.weightsBytes = uint64_t(bytes);
      for (char c : hash)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
          return fail("bad weights hash");
      out.weightsHash = std::strtoull(hash.c_str(), nullptr, 16);
      sawWeights = true;
    } else if (key == "model") {
      ModelMetadata &m = out.model;
      if (!r.word(m.architecture) || !r.integer(m.layers) ||
          !r.integer(m.kvHeads) || !r.integer(m.headDim) ||
          !r.integer(m.context) || !r.integer(m.vocab) || !r.integer(m.bos) ||
          !r.integer(m.eos) || !r.done() || m.layers <= 0 || m.kvHeads <= 0 ||
          m.headDim <= 0 || m.context <= 0 || m.vocab <= 0)
        return fail("bad model record");
    } else if (key == "macs") {
      if (!r.integer(out.model.layerMacs) || !r.done() ||
          out.model.layerMacs <= 0)
        return fail("bad macs record");
    } else if (key == "stop") {
      int64_t id;
      while (r.integer(id)) {
        if (id < 0)
          return fail("bad stop record");
        out.model.stop.push_back(id);
      }
      if (out.model.stop.empty() || !r.done())
        return fail("bad stop record");
    } else if (key == "generation") {
      ModelMetadata &m = out.model;
      if (!r.real(m.temperature) || !r.integer(m.topK) || !r.real(m.topP) ||
          !r.real(m.repeatPenalty) || !r.integer(m.maxNewTokens) || !r.done() ||
          m.temperature < 0 || m.topK < 0 || m.topP < 0 || m.topP > 1 ||
          m.repeatPenalty <= 0 || m.maxNewTokens < 0)
        return fail("bad generation record");
      m.hasGeneration = true;
    } else if (key == "chat") {
      if (!r.word(out.model.chatFormat) || !r.done())
        return fail("bad chat record");
    } else if (key == "function") {
      if (!complete())
        return fail("function '" + current->name +
                    "' has fewer inputs or results than declared");
      int64_t inputs, results;
      out.functions.emplace_back();
      current = &out.functions.back();
      if (!r.word(current->name) || !r.integer(inputs) ||
          !r.integer(results) || inputs < 0 || results < 0 || !r.done())
        return fail("bad function record");
      expectInputs = size_t(inputs);
      expectResults = size_t(results);
    } else if (key == "input" || key == "result") {
      if (!current)
        return fail(key + " outside a function");
      auto &list = key == "input" ? current->inputs : current->results;
      size_t limit = key == "input" ? expectInputs : expectResults;
      if (list.size() >= limit)
        return fail("more " + key + "s than declared");
      list.emplace_back();
      if (!readTensor(r, list.back()))
        return false;
    } else if (key == "end") {
      if (!complete())
        return fail("function '" + current->name +
                    "' has fewer inputs or results than declared");
      sawEnd = true;
      break;
    } else {
      return fail("unknown record '" + key + "'");
    }
  }
  if (number == 0)
    return fail("empty header");
  if (!sawEnd)
    return fail("header is truncated (no 'end' record)");
  // Every artifact ternc writes says what it runs on and where its weights
  // are.
  if (!sawTarget || !sawWeights) {
    error = std::string("artifact header: no '") +
            (sawTarget ? "weights" : "target") + "' record";
    return false;
  }
  return true;
}

uint64_t hashWeights(const void *data, size_t size) {
  const uint64_t prime = 0x100000001b3ULL;
  uint64_t h = 0xcbf29ce484222325ULL;
  const unsigned char *bytes = static_cast<const unsigned char *>(data);
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes + i, 8);
    h = (h ^ word) * prime;
  }
  for (; i < size; ++i)
    h = (h ^ bytes[i]) * prime;
  return (h ^ uint64_t(size)) * prime;
}

bool checkElfImage(
    const std::function<bool(void *, size_t, uint64_t)> &read, uint64_t size,
    std::string &error) {
  auto readAt = [&](void *buffer, size_t bytes, uint64_t offset) {
    return offset <= size && bytes <= size - offset &&
           read(buffer, bytes, offset);
  };
  Elf64_Ehdr header;
  if (!readAt(&header, sizeof(header), 0) ||
      std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
      header.e_ident[EI_CLASS] != ELFCLASS64) {
    error = "not a 64-bit ELF shared library";
    return false;
  }
  // An artifact for another CPU architecture (ternc --target=aarch64 on an
  // x86-64 machine): dlopen would only say it cannot open the file.
#if defined(__aarch64__)
  constexpr unsigned kHostMachine = EM_AARCH64;
  constexpr const char *kHostName = "AArch64";
#else
  constexpr unsigned kHostMachine = EM_X86_64;
  constexpr const char *kHostName = "x86-64";
#endif
  if (header.e_machine != kHostMachine) {
    error = std::string("built for ") +
            (header.e_machine == EM_AARCH64  ? "AArch64"
             : header.e_machine == EM_X86_64 ? "x86-64"
                                             : "another architecture") +
            "; this machine is " + kHostName +
            " (run it there, or under qemu-user)";
    return false;
  }
  // Offsets and counts come from the file: compare without overflowing.
  auto fits = [&](uint64_t offset, uint64_t count, uint64_t entry) {
    return offset <= size && (entry == 0 || count <= (size - offset) / entry);
  };
  if (header.e_phentsize != sizeof(Elf64_Phdr) ||
      !fits(header.e_phoff, header.e_phnum, sizeof(Elf64_Phdr)) ||
      (header.e_shnum &&
       !fits(header.e_shoff, header.e_shnum, header.e_shentsize))) {
    error = "the file is truncated (its ELF headers point past its end)";
    return false;
  }
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    if (!readAt(&segment, sizeof(segment),
                header.e_phoff + uint64_t(i) * sizeof(segment)) ||
        !fits(segment.p_offset, segment.p_filesz, 1)) {
      error = "the file is truncated (a segment ends past the end of the file)";
      return false;
    }
  }
  return true;
}

} // namespace tern
