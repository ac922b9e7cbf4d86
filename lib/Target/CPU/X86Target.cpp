//===- X86Target.cpp - The x86-64 backend ---------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// x86-64: microkernels for the CPU's dot-product instructions (AVX-512 VNNI,
// AVX2, or portable vector code), chosen from --mcpu/--mattr (default: this
// machine), and any weight layout they read (--layout, --autotune).
//
//===----------------------------------------------------------------------===//
#include "tern/Target/Target.h"
#include "tern/Conversion/TernToKernels/MatmulKernel.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

class X86Target final : public CpuBackend {
public:
  llvm::StringRef name() const override { return "x86_64"; }
  llvm::StringRef description() const override {
    return "x86-64 CPUs: AVX-512 VNNI, AVX2 or portable vector kernels "
           "(default: this machine)";
  }
  std::vector<std::pair<std::string, std::string>> options() const override {
    return {{"--mcpu=NAME", "target CPU: host (default) or an LLVM CPU name"},
            {"--mattr=+f,-g", "CPU features on top of the CPU's"},
            {"--layout=SPEC", "weight layout (default: the kernels' choice)"},
            {"--autotune", "time the candidate layouts on this machine"}};
  }

  std::vector<KernelStrategy> kernelStrategies() const override {
    return cpuKernelStrategies(
        {DotIsa::Avx512Vnni, DotIsa::Avx2, DotIsa::Portable});
  }

  bool configure(const TargetOptions &options, std::string &error) override {
    if (!options.gpuArch.empty()) {
      error = "--gpu-arch is for GPU targets";
      return false;
    }
    return configureMachine(CpuTargetOptions(), options, error);
  }

  ::tern::Layout ternaryLayout() const override { return layout; }
  ::tern::Layout binaryLayout() const override {
    return preferredBinaryLayout(machine->isa);
  }
  bool layoutsChoosable() const override { return true; }
};

} // namespace

namespace mlir::tern {
void registerX86Target() {
  registerTarget("x86_64", [] { return std::unique_ptr<Target>(new X86Target()); });
}
} // namespace mlir::tern
