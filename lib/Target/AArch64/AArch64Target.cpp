//===- AArch64Target.cpp - The AArch64 backend ----------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// AArch64 (Linux, little-endian), cross-compiled from any host: Tern's
// portable vector kernels, which LLVM lowers to NEON, over the dense 2-bit
// layout. Kernels for sdot (+dotprod), i8mm and tbl lookup tables are the
// next step (issue 9).
//
//===----------------------------------------------------------------------===//
#include "tern/Target/Target.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

class AArch64Target final : public CpuBackend {
public:
  llvm::StringRef name() const override { return "aarch64"; }
  llvm::StringRef description() const override {
    return "AArch64 CPUs (Linux): portable vector kernels lowered to NEON; "
           "cross-compiled from any host";
  }
  std::vector<std::pair<std::string, std::string>> options() const override {
    return {{"--mcpu=NAME",
             "target CPU: an LLVM AArch64 CPU name (default: generic, or "
             "this machine's on an AArch64 host)"},
            {"--mattr=+f,-g", "CPU features, e.g. +dotprod,+i8mm"}};
  }

  bool configure(const TargetOptions &options, std::string &error) override {
    if (!options.gpuArch.empty()) {
      error = "--gpu-arch is for GPU targets";
      return false;
    }
    if (!options.layout.empty()) {
      error = "--target=aarch64 reads one weight layout (i2:4) for now; "
              "--layout and --autotune are for x86_64";
      return false;
    }
    CpuTargetOptions cpu;
    cpu.target = "aarch64";
    cpu.cpu = options.cpu;
    cpu.mattr = options.mattr;
    cpu.optLevel = options.optLevel;
    machine = createCpuTarget(cpu, error);
    pipeline.isa = "portable";
    pipeline.layout = layout().spec();
    return machine != nullptr;
  }

  ::tern::Layout ternaryLayout() const override { return layout(); }
  ::tern::Layout binaryLayout() const override { return layout(); }

private:
  static ::tern::Layout layout() {
    ::tern::Layout l;
    l.encoding = ::tern::Encoding::I2;
    l.block = 4;
    return l;
  }
};

} // namespace

namespace mlir::tern {
void registerAArch64Target() {
  registerTarget("aarch64",
                 [] { return std::unique_ptr<Target>(new AArch64Target()); });
}
} // namespace mlir::tern
