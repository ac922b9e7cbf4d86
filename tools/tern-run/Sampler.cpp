//===- Sampler.cpp - Choosing the next token ------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "Sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_set>

using namespace tern::run;

int32_t Sampler::next(const float *logits, int64_t vocab,
                      const std::vector<int32_t> &history) {
  std::vector<float> scores(logits, logits + vocab);
  if (options.repeatPenalty != 1.0f) {
    std::unordered_set<int32_t> seen(history.begin(), history.end());
    for (int32_t t : seen)
      if (t >= 0 && t < vocab)
        scores[t] = scores[t] > 0 ? scores[t] / options.repeatPenalty
                                  : scores[t] * options.repeatPenalty;
  }
  if (options.temperature <= 0.0f)
    return int32_t(std::max_element(scores.begin(), scores.end()) -
                   scores.begin());

  std::vector<int32_t> order(vocab);
  std::iota(order.begin(), order.end(), 0);
  size_t keep = options.topK > 0 ? std::min<size_t>(options.topK, vocab) : vocab;
  std::partial_sort(order.begin(), order.begin() + keep, order.end(),
                    [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
  order.resize(keep);
  // Softmax over the kept tokens at the temperature, then the nucleus.
  std::vector<double> p(keep);
  double max = scores[order[0]], sum = 0;
  for (size_t i = 0; i < keep; ++i)
    sum += p[i] = std::exp((scores[order[i]] - max) / options.temperature);
  double mass = 0;
  size_t nucleus = keep;
  for (size_t i = 0; i < keep; ++i) {
    mass += p[i] / sum;
    if (mass >= options.topP) {
      nucleus = i + 1;
      break;
    }
  }
  std::discrete_distribution<size_t> pick(p.begin(), p.begin() + nucleus);
  return order[pick(rng)];
}
