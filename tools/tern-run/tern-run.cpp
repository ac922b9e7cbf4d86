//===- tern-run.cpp - Run an entry point of a Tern artifact ---------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
//   tern-run ARTIFACT --function=NAME --input=@x.npy ... --output=@y.npy ...
//   tern-run ARTIFACT --batch=calls.txt   (one --function= ... line a call)
//   tern-run ARTIFACT --list
//   tern-run MODEL --tokens=1,2,3 [--logits-out=@l.npy] [--decode-from=K] [-n N]
//   tern-run MODEL --prompt TEXT [-n N] [sampling options]
//   tern-run MODEL --chat [--system TEXT]
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

#include <cerrno>
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
               "       tern-run ARTIFACT --batch=FILE   (a line of --function=, "
               "--input=, --output= per call)\n"
               "       tern-run ARTIFACT --list\n"
               "       tern-run MODEL (--prompt TEXT | --tokens=ID,ID,...) [-n N]\n"
               "                [--temp T] [--top-k K] [--top-p P] [--repeat-penalty R]\n"
               "                [--seed S] [--logits-out=@FILE.npy] [--decode-from=K]\n"
               "                [--ignore-eos] [--threads=N]\n"
               "       tern-run MODEL --chat [--system TEXT] [--chat-format=NAME]\n"
               "                [--show-prompt] [sampling options]   (user turns on stdin)\n"
               "       tern-run MODEL --perplexity FILE\n"
               "       tern-run MODEL --info\n"
               "       tern-run --devices   (the NVIDIA GPUs the CUDA driver reports)\n"
               "Sampling options not given come from the model's generation_config.json;\n"
               "-n defaults to its max_new_tokens, else 128 for --prompt.\n");
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

/// Runs `function` on the .npy files `inputs` (@FILE specs), writing its
/// results to `outputs` (or printing their shapes when there are none).
int runFunction(tern_artifact *artifact, const std::string &artifactPath,
                const std::string &function,
                const std::vector<std::string> &inputs,
                const std::vector<std::string> &outputs) {
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

/// --batch=FILE: one call a line, "--function=NAME --input=@a.npy ...
/// --output=@b.npy ...", so a test suite pays for loading the artifact (and
/// starting an emulator) once for many calls. Stops at the first failure,
/// naming the line.
int runBatch(tern_artifact *artifact, const std::string &artifactPath,
             const std::string &batchFile) {
  std::string text, error;
  if (!tern::run::readWholeFile(batchFile, text, error))
    return fail(error);
  size_t lineNumber = 0, at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos)
      end = text.size();
    std::string line = text.substr(at, end - at);
    at = end + 1;
    ++lineNumber;
    std::string function;
    std::vector<std::string> inputs, outputs;
    size_t pos = 0;
    bool any = false;
    while (pos < line.size()) {
      size_t start = line.find_first_not_of(" \t\r", pos);
      if (start == std::string::npos)
        break;
      size_t stop = line.find_first_of(" \t\r", start);
      if (stop == std::string::npos)
        stop = line.size();
      std::string word = line.substr(start, stop - start);
      pos = stop;
      any = true;
      auto take = [&](const char *prefix, std::string &out) {
        size_t k = std::strlen(prefix);
        if (word.compare(0, k, prefix) != 0)
          return false;
        out = word.substr(k);
        return true;
      };
      std::string value;
      if (take("--function=", function))
        continue;
      if (take("--input=", value)) {
        inputs.push_back(value);
        continue;
      }
      if (take("--output=", value)) {
        outputs.push_back(value);
        continue;
      }
      return fail(batchFile + ":" + std::to_string(lineNumber) +
                  ": expected --function=, --input= or --output=, got '" +
                  word + "'");
    }
    if (!any)
      continue;
    if (function.empty())
      return fail(batchFile + ":" + std::to_string(lineNumber) +
                  ": no --function=");
    if (int status =
            runFunction(artifact, artifactPath, function, inputs, outputs)) {
      std::fprintf(stderr, "tern-run: (at %s:%zu)\n", batchFile.c_str(),
                   lineNumber);
      return status;
    }
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string artifactPath, function, batchFile;
  std::vector<std::string> inputs, outputs;
  bool list = false;
  int threads = 0;
  tern::run::ModelCommand model;
  std::string tokenList;
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
    if (value("--batch=", batchFile))
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
    auto real = [&](const std::string &text, float &out) {
      char *end;
      out = std::strtof(text.c_str(), &end);
      return !text.empty() && !*end && out >= 0;
    };
    // Options that take a value as the next argument.
    auto next = [&](const char *name, std::string &out) {
      if (arg != name)
        return false;
      if (i + 1 >= argc) {
        out = "\x01";
        return true;
      }
      out = argv[++i];
      return true;
    };
    if (value("--tokens=", tokenList)) {
      model.haveTokens = true;
      size_t start = 0;
      while (true) {
        size_t comma = tokenList.find(',', start);
        std::string item = tokenList.substr(start, comma == std::string::npos
                                                       ? std::string::npos
                                                       : comma - start);
        long id;
        if (!number(item, id) || id > INT32_MAX)
          return fail("--tokens takes comma-separated token ids, got '" +
                      tokenList + "'");
        model.tokens.push_back(int32_t(id));
        if (comma == std::string::npos)
          break;
        start = comma + 1;
      }
      continue;
    }
    if (value("--logits-out=", v)) {
      if (!filePath(v, model.logitsOut))
        return fail("--logits-out takes @FILE.npy, got '" + v + "'");
      continue;
    }
    if (value("--decode-from=", v)) {
      if (!number(v, model.decodeFrom))
        return fail("--decode-from takes a token count, got '" + v + "'");
      continue;
    }
    if (value("--prompt=", model.prompt) || next("--prompt", model.prompt)) {
      if (model.prompt == "\x01")
        return fail("--prompt needs a text");
      model.havePrompt = true;
      continue;
    }
    if (value("--perplexity=", model.perplexityFile) ||
        next("--perplexity", model.perplexityFile)) {
      if (model.perplexityFile == "\x01")
        return fail("--perplexity needs a file");
      continue;
    }
    if (next("-n", v) || value("--max-tokens=", v)) {
      if (!number(v, model.generate))
        return fail("-n takes a token count, got '" + v + "'");
      model.setGenerate = true;
      continue;
    }
    if (value("--temp=", v) || next("--temp", v)) {
      if (!real(v, model.sampling.temperature))
        return fail("--temp takes a non-negative number, got '" + v + "'");
      model.setTemperature = true;
      continue;
    }
    if (value("--top-p=", v) || next("--top-p", v)) {
      if (!real(v, model.sampling.topP) || model.sampling.topP > 1)
        return fail("--top-p takes a number in [0, 1], got '" + v + "'");
      model.setTopP = true;
      continue;
    }
    if (value("--repeat-penalty=", v) || next("--repeat-penalty", v)) {
      if (!real(v, model.sampling.repeatPenalty) || model.sampling.repeatPenalty == 0)
        return fail("--repeat-penalty takes a positive number, got '" + v + "'");
      model.setRepeatPenalty = true;
      continue;
    }
    long integerValue;
    if (value("--top-k=", v) || next("--top-k", v)) {
      if (!number(v, integerValue) || integerValue > INT32_MAX)
        return fail("--top-k takes a token count, got '" + v + "'");
      model.sampling.topK = int(integerValue);
      model.setTopK = true;
      continue;
    }
    if (value("--seed=", v) || next("--seed", v)) {
      if (!number(v, integerValue))
        return fail("--seed takes a non-negative integer, got '" + v + "'");
      model.sampling.seed = uint64_t(integerValue);
      continue;
    }
    if (arg == "--chat") {
      model.chat = true;
      continue;
    }
    if (value("--chat-format=", model.chatFormat))
      continue;
    if (value("--system=", model.system) || next("--system", model.system)) {
      if (model.system == "\x01")
        return fail("--system needs a text");
      continue;
    }
    if (arg == "--show-prompt") {
      model.showPrompt = true;
      continue;
    }
    if (arg == "--info") {
      model.info = true;
      continue;
    }
    if (arg == "--print-tokens") {
      model.printTokens = true;
      continue;
    }
    if (arg == "--ignore-eos") {
      model.ignoreEos = true;
      continue;
    }
    if (arg == "--list") {
      list = true;
      continue;
    }
    if (arg == "--devices") {
      const char *text = nullptr;
      if (tern_cuda_devices(&text) != TERN_OK)
        return fail(tern_last_error());
      std::fputs(text, stdout);
      return 0;
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
  if (model.haveTokens || model.havePrompt || !model.perplexityFile.empty() ||
      model.chat || model.info) {
    if (int(model.haveTokens) + int(model.havePrompt) + int(model.chat) > 1)
      return fail("give one of --tokens, --prompt and --chat");
    return tern::run::runModel(artifact, model);
  }
  if (function.empty() && batchFile.empty())
    return fail("--function=NAME is required (--list shows the entry points)");
  if (!batchFile.empty()) {
    if (!function.empty() || !inputs.empty() || !outputs.empty())
      return fail("--batch takes the calls from its file; give no "
                  "--function, --input or --output with it");
    return runBatch(artifact, artifactPath, batchFile);
  }
  return runFunction(artifact, artifactPath, function, inputs, outputs);
}
