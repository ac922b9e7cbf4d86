//===- tern-run.cpp - Run an entry point of a Tern artifact ---------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
//   tern-run ARTIFACT --function=NAME --input=@x.npy ... --output=@y.npy ...
//   tern-run ARTIFACT --list
//   tern-run MODEL --tokens=1,2,3 [--logits-out=@l.npy] [--decode-from=K] [-n N]
//
// Runs any entry point on numpy files, the way iree-run-module does, so tests
// and users can drive compiled code without writing C; and drives language
// models (prefill/decode with their KV caches): logits for given token ids,
// greedy generation. Uses only the runtime.
//
//===----------------------------------------------------------------------===//
#include "Model.h"
#include "tern-c/runtime.h"
#include "tern/Support/Npy.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: tern-run ARTIFACT --function=NAME [--input=@FILE.npy]... "
               "[--output=@FILE.npy]... [--threads=N]\n"
               "       tern-run ARTIFACT --list\n"
               "       tern-run MODEL --tokens=ID,ID,... [--logits-out=@FILE.npy] "
               "[--decode-from=K] [-n N] [--threads=N]\n");
  return 2;
}

int fail(const std::string &message) {
  std::fprintf(stderr, "tern-run: error: %s\n", message.c_str());
  return 1;
}

std::string shapeText(tern_dtype dtype, size_t rank, const int64_t *shape) {
  std::string s = tern::toString(tern::DType(dtype));
  s += "[";
  for (size_t i = 0; i < rank; ++i)
    s += (i ? ", " : "") + (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
  return s + "]";
}

/// "@file.npy" -> "file.npy"; the @ says the value is a file.
bool filePath(const std::string &value, std::string &path) {
  if (value.size() < 2 || value[0] != '@')
    return false;
  path = value.substr(1);
  return true;
}

struct Tensors {
  std::vector<tern_tensor *> list;
  ~Tensors() {
    for (tern_tensor *t : list)
      tern_tensor_free(t);
  }
};

} // namespace

int main(int argc, char **argv) {
  std::string artifactPath, function;
  std::vector<std::string> inputs, outputs;
  bool list = false;
  int threads = 0;
  std::string tokenList, logitsOut;
  long decodeFrom = -1, generate = 0;
  bool haveTokens = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char *prefix, std::string &out) {
      size_t n = std::strlen(prefix);
      if (arg.compare(0, n, prefix) != 0)
        return false;
      out = arg.substr(n);
      return true;
    };
    std::string v;
    if (value("--function=", function))
      continue;
    if (value("--input=", v)) {
      inputs.push_back(v);
      continue;
    }
    if (value("--output=", v)) {
      outputs.push_back(v);
      continue;
    }
    if (value("--threads=", v)) {
      char *end;
      long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end || n < 0 || n > 1024)
        return fail("--threads takes a number from 0 to 1024, got '" + v + "'");
      threads = int(n);
      continue;
    }
    auto number = [&](const std::string &text, long &out) {
      char *end;
      out = std::strtol(text.c_str(), &end, 10);
      return !text.empty() && !*end && out >= 0;
    };
    if (value("--tokens=", tokenList)) {
      haveTokens = true;
      continue;
    }
    if (value("--logits-out=", logitsOut))
      continue;
    if (value("--decode-from=", v)) {
      if (!number(v, decodeFrom))
        return fail("--decode-from takes a token count, got '" + v + "'");
      continue;
    }
    if (arg == "-n" && i + 1 < argc) {
      v = argv[++i];
      if (!number(v, generate))
        return fail("-n takes a token count, got '" + v + "'");
      continue;
    }
    if (arg == "--list") {
      list = true;
      continue;
    }
    if (arg == "-h" || arg == "--help")
      return usage(), 0;
    if (!arg.empty() && arg[0] == '-')
      return fail("unknown option '" + arg + "'");
    if (!artifactPath.empty())
      return fail("more than one artifact given ('" + artifactPath + "' and '" +
                  arg + "')");
    artifactPath = arg;
  }
  if (artifactPath.empty())
    return usage();
  if (threads)
    tern_set_num_threads(threads);

  tern_artifact *artifact = nullptr;
  if (tern_artifact_load(artifactPath.c_str(), &artifact) != TERN_OK)
    return fail(tern_last_error());
  struct Free {
    tern_artifact *a;
    ~Free() { tern_artifact_free(a); }
  } freeArtifact{artifact};

  if (list) {
    for (size_t f = 0; f < tern_artifact_num_functions(artifact); ++f) {
      const char *name = tern_artifact_function_name(artifact, f);
      size_t nIn, nOut;
      tern_artifact_function_info(artifact, name, &nIn, &nOut);
      std::printf("%s(", name);
      for (size_t i = 0; i < nIn; ++i) {
        tern_dtype dt;
        size_t rank;
        const int64_t *shape;
        tern_artifact_input_info(artifact, name, i, &dt, &rank, &shape);
        std::printf("%s%s", i ? ", " : "", shapeText(dt, rank, shape).c_str());
      }
      std::printf(") -> (");
      for (size_t i = 0; i < nOut; ++i) {
        tern_dtype dt;
        size_t rank;
        const int64_t *shape;
        tern_artifact_result_info(artifact, name, i, &dt, &rank, &shape);
        std::printf("%s%s", i ? ", " : "", shapeText(dt, rank, shape).c_str());
      }
      std::printf(")\n");
    }
    return 0;
  }
  if (haveTokens) {
    std::vector<int32_t> prompt;
    size_t start = 0;
    while (start <= tokenList.size()) {
      size_t comma = tokenList.find(',', start);
      std::string item = tokenList.substr(start, comma == std::string::npos
                                                     ? std::string::npos
                                                     : comma - start);
      long id;
      char *end;
      id = std::strtol(item.c_str(), &end, 10);
      if (item.empty() || *end || id < 0 || id > INT32_MAX)
        return fail("--tokens takes comma-separated token ids, got '" +
                    tokenList + "'");
      prompt.push_back(int32_t(id));
      if (comma == std::string::npos)
        break;
      start = comma + 1;
    }
    tern::run::Session session;
    std::string error;
    if (!session.start(artifact, error))
      return fail(error);
    std::vector<float> logits;
    size_t split = decodeFrom < 0 ? prompt.size()
                                  : std::min<size_t>(size_t(decodeFrom), prompt.size());
    auto t0 = std::chrono::steady_clock::now();
    if (!session.feed({prompt.begin(), prompt.begin() + split}, logits, error))
      return fail(error);
    for (size_t i = split; i < prompt.size(); ++i)
      if (!session.feed({prompt[i]}, logits, error))
        return fail(error);
    auto t1 = std::chrono::steady_clock::now();
    int64_t vocab = session.info().vocab;
    if (!logitsOut.empty()) {
      std::string path;
      if (!filePath(logitsOut, path))
        return fail("--logits-out takes @FILE.npy, got '" + logitsOut + "'");
      tern::NpyArray array;
      array.dtype = tern::DType::F32;
      array.shape = {int64_t(prompt.size()), vocab};
      const char *bytes = reinterpret_cast<const char *>(logits.data());
      array.data.assign(bytes, bytes + logits.size() * sizeof(float));
      if (!tern::writeNpy(path, array, error))
        return fail(error);
    }
    std::vector<int32_t> generated;
    int32_t next = tern::run::argmax(logits, vocab, prompt.size() - 1);
    auto t2 = std::chrono::steady_clock::now();
    for (long g = 0; g < generate; ++g) {
      generated.push_back(next);
      if (g + 1 == generate || next == session.info().eos)
        break;
      std::vector<float> step;
      if (!session.feed({next}, step, error))
        return fail(error);
      next = tern::run::argmax(step, vocab, 0);
    }
    auto t3 = std::chrono::steady_clock::now();
    if (generate > 0) {
      std::printf("generated:");
      for (size_t i = 0; i < generated.size(); ++i)
        std::printf("%s%d", i ? "," : " ", generated[i]);
      std::printf("\n");
      double prefill = std::chrono::duration<double>(t1 - t0).count();
      double decode = std::chrono::duration<double>(t3 - t2).count();
      std::fprintf(stderr, "prefill: %zu tokens, %.1f tok/s; decode: %zu tokens, %.1f tok/s\n",
                   prompt.size(), prompt.size() / prefill,
                   generated.size() > 1 ? generated.size() - 1 : 0,
                   generated.size() > 1 ? (generated.size() - 1) / decode : 0.0);
    }
    return 0;
  }
  if (function.empty())
    return fail("--function=NAME is required (--list shows the entry points)");
  size_t numInputs, numResults;
  if (tern_artifact_function_info(artifact, function.c_str(), &numInputs,
                                  &numResults) != TERN_OK)
    return fail(artifactPath + ": " + tern_last_error());
  if (inputs.size() != numInputs)
    return fail("'" + function + "' takes " + std::to_string(numInputs) +
                " inputs, got " + std::to_string(inputs.size()) + " --input");
  if (!outputs.empty() && outputs.size() != numResults)
    return fail("'" + function + "' returns " + std::to_string(numResults) +
                " results, got " + std::to_string(outputs.size()) + " --output");

  Tensors in, out;
  for (const std::string &spec : inputs) {
    std::string path, error;
    if (!filePath(spec, path))
      return fail("--input takes @FILE.npy, got '" + spec + "'");
    tern::NpyArray array;
    if (!tern::readNpy(path, array, error))
      return fail(error);
    tern_tensor *t;
    if (tern_tensor_create(tern_dtype(array.dtype), array.shape.size(),
                           array.shape.data(), array.data.data(), &t) != TERN_OK)
      return fail(path + ": " + tern_last_error());
    in.list.push_back(t);
  }
  out.list.assign(numResults, nullptr);
  if (tern_run(artifact, function.c_str(), in.list.data(), in.list.size(),
               out.list.data(), out.list.size()) != TERN_OK)
    return fail(tern_last_error());
  for (size_t r = 0; r < numResults; ++r) {
    tern_tensor *t = out.list[r];
    if (outputs.empty()) {
      std::printf("result #%zu: %s\n", r,
                  shapeText(tern_tensor_dtype(t), tern_tensor_rank(t),
                            tern_tensor_shape(t))
                      .c_str());
      continue;
    }
    std::string path, error;
    if (!filePath(outputs[r], path))
      return fail("--output takes @FILE.npy, got '" + outputs[r] + "'");
    tern::NpyArray array;
    array.dtype = tern::DType(tern_tensor_dtype(t));
    array.shape.assign(tern_tensor_shape(t), tern_tensor_shape(t) + tern_tensor_rank(t));
    const char *data = static_cast<const char *>(tern_tensor_data(t));
    array.data.assign(data, data + tern_tensor_size_bytes(t));
    if (!tern::writeNpy(path, array, error))
      return fail(error);
  }
  return 0;
}
