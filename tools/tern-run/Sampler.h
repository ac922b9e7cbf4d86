//===- Sampler.h - Choosing the next token ----------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TOOLS_TERN_RUN_SAMPLER_H
#define TERN_TOOLS_TERN_RUN_SAMPLER_H

#include <cstdint>
#include <random>
#include <vector>

namespace tern::run {

struct SamplerOptions {
  float temperature = 0.0f;  ///< <= 0: greedy (argmax)
  int topK = 0;              ///< 0: all tokens
  float topP = 1.0f;         ///< nucleus mass kept
  float repeatPenalty = 1.0f; ///< > 1 discourages tokens already seen
  uint64_t seed = 42;
};

/// Greedy, or temperature sampling restricted by top-k and top-p, with a
/// CTRL-style repetition penalty (positive logits divided, negative ones
/// multiplied). Deterministic for a seed.
class Sampler {
public:
  explicit Sampler(const SamplerOptions &options)
      : options(options), rng(options.seed) {}

  int32_t next(const float *logits, int64_t vocab,
               const std::vector<int32_t> &history);

private:
  SamplerOptions options;
  std::mt19937_64 rng;
};

} // namespace tern::run

#endif // TERN_TOOLS_TERN_RUN_SAMPLER_H
