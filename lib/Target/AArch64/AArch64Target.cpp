//===- AArch64Target.cpp - The AArch64 backend ----------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// AArch64 (Linux, little-endian), cross-compiled from any host. The matmul
// microkernels follow --mcpu/--mattr: sdot (+dotprod), smmla 2 x 2 blocks
// for prefill (+i8mm with +dotprod), or smull + sadalp (base NEON); the
// lookup-table layout (lut:4:rows=16) reads its tables with tbl. Everything
// else is the portable vector code, which LLVM lowers to NEON.
//
//===----------------------------------------------------------------------===//
#include "tern/Target/Target.h"

#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

class AArch64Target final : public CpuBackend {
public:
  llvm::StringRef name() const override { return "aarch64"; }
  llvm::StringRef description() const override {
    return "AArch64 CPUs (Linux): NEON, sdot (+dotprod) and smmla (+i8mm) "
           "kernels; cross-compiled from any host";
  }
  std::vector<std::pair<std::string, std::string>> options() const override {
    return {{"--mcpu=NAME",
             "target CPU: an LLVM AArch64 CPU name (default: generic, or "
             "this machine's on an AArch64 host)"},
            {"--mattr=+f,-g", "CPU features, e.g. +dotprod,+i8mm"},
            {"--layout=SPEC",
             "weight layout (default: i2:64:rows=4; lut:4:rows=16 for the "
             "tbl lookup-table kernel)"},
            {"--autotune", "time the candidate layouts (on an AArch64 host)"}};
  }

  std::vector<KernelStrategy> kernelStrategies() const override {
    return cpuKernelStrategies(
        {DotIsa::NeonI8mm, DotIsa::NeonDot, DotIsa::Neon});
  }

  bool configure(const TargetOptions &options, std::string &error) override {
    if (!options.gpuArch.empty()) {
      error = "--gpu-arch is for GPU targets";
      return false;
    }
    if (options.binaryKernel != "dot") {
      error = "--binary-kernel=" + options.binaryKernel +
              " is an AVX-512 kernel; aarch64 has the dot-product one";
      return false;
    }
    CpuTargetOptions cpu;
    cpu.target = "aarch64";
    return configureMachine(cpu, options, error);
  }

  ::tern::Layout ternaryLayout() const override { return layout; }
  ::tern::Layout binaryLayout() const override {
    return preferredBinaryLayout(machine->isa);
  }
  bool layoutsChoosable() const override { return true; }
  bool autotunable() const override {
    return llvm::Triple(llvm::sys::getProcessTriple()).isAArch64();
  }
};

} // namespace

namespace mlir::tern {
void registerAArch64Target() {
  registerTarget("aarch64",
                 [] { return std::unique_ptr<Target>(new AArch64Target()); });
}
} // namespace mlir::tern
