//===- Autotune.h - Choosing weight layouts by timing them -------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// ternc --autotune: for every weight shape [n, k] of a model, compiles the
// tern.matmul kernels of each candidate layout for the target, times them on
// this machine through the runtime (a decode-style matrix-vector product
// whose weights stream from memory, and a 64-token prefill block), and keeps
// the layout with the least time per token (one decode token plus one
// prefill token); the first candidate, the target's default, yields only to
// one at least 3% faster. The candidates are timed in alternating rounds and each
// keeps its fastest round, so a noisy neighbour slows all of them alike.
//
// Results are cached in DIR/autotune.tsv, one line per (machine, compiler,
// threads, shape, weight kind, candidate list), so a model is tuned once per
// machine and ternc build. The key names the CPU model, the target CPU and a
// hash of its features, and the size and modification time of the ternc
// binary (a rebuilt compiler may emit different kernels).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DRIVER_AUTOTUNE_H
#define TERN_DRIVER_AUTOTUNE_H

#include "tern/Conversion/TernToKernels/MatmulKernel.h"
#include "tern/Support/Packing.h"

#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace mlir::tern {

struct CpuTarget;

struct AutotuneOptions {
  /// Directory of autotune.tsv; empty: no cache.
  std::string cacheDir;
  /// Threads the kernels are timed on (0: the runtime's default, one per
  /// hardware thread).
  int threads = 0;
  /// The layouts to choose from; empty: defaultAutotuneCandidates(isa).
  std::vector<::tern::Layout> candidates;
  /// Receives one line per shape: the choice and every candidate's time.
  llvm::raw_ostream *log = nullptr;
};

/// The candidates for `isa`: its preferred layout, the same 2-bit blocks
/// with half and with no row interleave, base-3 (1.6 bits per weight) with
/// the preferred interleave, and (AVX2, AVX-512) the lookup-table layout
/// lut:4:rows=16.
std::vector<::tern::Layout> defaultAutotuneCandidates(DotIsa isa);

/// $TERN_CACHE_DIR, else $XDG_CACHE_HOME/tern, else $HOME/.cache/tern
/// (empty when none is set).
std::string defaultAutotuneCacheDir();

class Autotuner {
public:
  /// Fails when the target's code cannot run on this machine.
  static std::unique_ptr<Autotuner> create(CpuTarget &target,
                                           AutotuneOptions options,
                                           std::string &error);
  ~Autotuner();

  /// The fastest candidate for [n, k] weights of `kind` (cached, or timed
  /// now); nullopt with `error` set when compiling or running fails.
  std::optional<::tern::Layout> choose(int64_t n, int64_t k,
                                       ::tern::WeightKind kind,
                                       std::string &error);

private:
  Autotuner(CpuTarget &target, AutotuneOptions options);

  struct Timing {
    double decodeSeconds = 0, prefillSeconds = 0; // per token
  };
  std::optional<std::vector<Timing>>
  measure(int64_t n, int64_t k, ::tern::WeightKind kind,
          const std::vector<::tern::Layout> &candidates, std::string &error);
  std::string cachePath() const;
  void loadCache();
  void appendCache(const std::string &line);

  CpuTarget &target;
  AutotuneOptions options;
  std::string machineKey;
  std::string workDir;
  /// Cached choices by line key (see Autotune.cpp).
  std::map<std::string, ::tern::Layout> cache;
  unsigned compiled = 0;
};

} // namespace mlir::tern

#endif // TERN_DRIVER_AUTOTUNE_H
