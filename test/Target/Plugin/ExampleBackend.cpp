//===- ExampleBackend.cpp - A backend built outside the tree --------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The example of docs/AddingABackend.md, step by step: a backend that lives
// in its own shared library and is loaded with
//
//   ternc --load-backend=tern-example-backend.so --target=example-portable ...
//
// It is where a new CPU architecture starts before it has kernels of its
// own: Tern's portable vector kernels (plain vector arithmetic, which LLVM
// maps to any SIMD unit) over the dense 2-bit layout, compiled by an LLVM
// target machine for a baseline CPU. Everything below uses only Tern's
// installed headers; nothing in ternc names this backend.
//
//===----------------------------------------------------------------------===//

// Step 1: the interface and the plugin entry points.
#include "tern/Target/Plugin.h"
#include "tern/Target/Target.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

// Step 2: the backend's class. CpuBackend supplies what every backend built
// on Tern's CPU kernels shares (the pipelines, the host code generator, the
// header records); a backend with kernels of its own derives from Target.
class ExampleTarget final : public CpuBackend {
public:
  llvm::StringRef name() const override { return "example-portable"; }
  llvm::StringRef description() const override {
    return "example plugin: portable vector kernels on a baseline x86-64 "
           "(docs/AddingABackend.md)";
  }
  std::vector<std::pair<std::string, std::string>> options() const override {
    return {{"--mcpu=NAME", "baseline CPU (default x86-64)"}};
  }

  // Step 3: what it offers for each low-bit op: here the portable kernel
  // over the dense 2-bit layout, for --list-targets.
  std::vector<KernelStrategy> kernelStrategies() const override {
    return {{"tern.matmul, ternary and binary", denseLayout().spec(),
             "widening multiply-add on 128-bit vectors, weights decoded per "
             "tile"}};
  }

  // Step 4: read the options it takes, reject the rest.
  bool configure(const TargetOptions &options, std::string &error) override {
    if (!options.gpuArch.empty() || !options.layout.empty() ||
        !options.mattr.empty()) {
      error = "example-portable takes only --mcpu";
      return false;
    }
    CpuTargetOptions cpu;
    cpu.cpu = options.cpu == "host" ? "x86-64" : options.cpu;
    cpu.optLevel = options.optLevel;
    machine = createCpuTarget(cpu, error);
    // The portable kernels, whatever the CPU could do.
    pipeline.isa = "portable";
    pipeline.layout = denseLayout().spec();
    return machine != nullptr;
  }

  // Step 5: the layout its kernels read (importers pack with it).
  ::tern::Layout ternaryLayout() const override { return denseLayout(); }
  ::tern::Layout binaryLayout() const override { return denseLayout(); }

  // Steps 6 and 7, the pipelines and the artifact's header records, come
  // from CpuBackend: Tern's transform and CPU lowering pipelines with
  // `pipeline`, and the machine's triple, CPU and required features.

private:
  static ::tern::Layout denseLayout() {
    ::tern::Layout l;
    l.encoding = ::tern::Encoding::I2;
    l.block = 4;
    return l;
  }
};

} // namespace

// Step 8: the two entry points ternc looks for.
extern "C" int tern_backend_plugin_abi_version() {
  return TERN_BACKEND_PLUGIN_ABI;
}

extern "C" void tern_backend_plugin_register() {
  registerTarget("example-portable",
                 [] { return std::unique_ptr<Target>(new ExampleTarget()); });
}
