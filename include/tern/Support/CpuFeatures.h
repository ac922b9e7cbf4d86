//===- CpuFeatures.h - Host CPU feature detection ---------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The CPU features an artifact may require, named as LLVM names them, and
// their detection on the running machine (cpuid on x86-64, hwcaps on AArch64
// Linux). ternc records the
// subset of its target's features that appears here; the runtime refuses an
// artifact that needs one the host lacks. No MLIR/LLVM dependency.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_SUPPORT_CPUFEATURES_H
#define TERN_SUPPORT_CPUFEATURES_H

#include <string>
#include <vector>

namespace tern {

/// Every feature name this file can check for x86-64 or AArch64, in LLVM's
/// spelling.
const std::vector<std::string> &knownCpuFeatures(bool aarch64 = false);

/// Whether the host CPU (and OS, for register state) supports `feature`.
/// Unknown names are reported as unsupported.
bool hostHasCpuFeature(const std::string &feature);

} // namespace tern

#endif // TERN_SUPPORT_CPUFEATURES_H
