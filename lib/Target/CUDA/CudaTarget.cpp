//===- CudaTarget.cpp - The CUDA backend ----------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// NVIDIA GPUs (docs/cuda.md): the forward pass as PTX kernels for
// --gpu-arch (sm_80, sm_90), launched by host code for any x86-64; weights
// packed in the one layout the kernels read.
//
//===----------------------------------------------------------------------===//
#include "tern/Target/Target.h"
#include "tern/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::tern;

namespace {

class CudaTarget final : public Target {
public:
  llvm::StringRef name() const override { return "cuda"; }
  llvm::StringRef description() const override {
    return "NVIDIA GPUs: PTX kernels (dp4a, mma.sync) loaded through the "
           "CUDA driver at run time; host code for any x86-64";
  }
  std::vector<std::pair<std::string, std::string>> options() const override {
    return {{"--gpu-arch=sm_80|sm_90", "GPU architecture (default sm_90)"}};
  }

  std::vector<KernelStrategy> kernelStrategies() const override {
    return {{"tern.matmul, ternary and binary, decode", kCudaLayout,
             "dp4a GEMV, one warp a row, 128-bit loads"},
            {"tern.matmul, ternary and binary, prefill", kCudaLayout,
             "mma.sync m16n8k32 s8 x u8 tensor-core GEMM"},
            {"tern.bitlinear, group scales", kCudaLayout,
             "the _g GEMV/GEMM: per-group sums scaled in f32"}};
  }

  bool configure(const TargetOptions &options, std::string &error) override {
    if (!options.layout.empty()) {
      error = std::string("--target=cuda chooses the weight layout itself (") +
              kCudaLayout + "); --layout and --autotune are for CPU targets";
      return false;
    }
    if (options.cpu != "host" || !options.mattr.empty()) {
      error = "--mcpu and --mattr are for CPU targets; --target=cuda's host "
              "code runs on any x86-64";
      return false;
    }
    cuda.chip = options.gpuArch.empty() ? "sm_90" : options.gpuArch;
    if (failed(verifyCudaPipelineOptions(cuda, error))) {
      error = "--gpu-arch: " + error;
      return false;
    }
    // Launch code only: no CPU features needed.
    CpuTargetOptions hostOptions;
    hostOptions.cpu = "x86-64";
    hostOptions.optLevel = options.optLevel;
    machine = createCpuTarget(hostOptions, error);
    transform.layout = kCudaLayout;
    return machine != nullptr;
  }

  CpuTarget &host() override { return *machine; }
  ::tern::Layout ternaryLayout() const override {
    return *::tern::Layout::parse(kCudaLayout, nullptr);
  }
  // Binary weights are ternary codes here (the kernels read 2 bits).
  ::tern::Layout binaryLayout() const override { return ternaryLayout(); }

  void buildTransformPipeline(OpPassManager &pm) const override {
    buildTernTransformPipeline(pm, transform);
  }
  void buildLoweringPipeline(OpPassManager &pm) const override {
    buildTernCudaLoweringPipeline(pm, cuda);
  }
  llvm::StringRef loweringPipelineName() const override {
    return "tern-cuda-lowering-pipeline";
  }

  bool finishArtifact(ModuleOp module, ::tern::ArtifactMetadata &metadata,
                      std::vector<DataSymbol> &data,
                      std::string &error) override {
    auto ptxAttr = module->getAttrOfType<StringAttr>("tern.gpu.ptx");
    auto kernels = module->getAttrOfType<ArrayAttr>("tern.gpu.kernels");
    if (!ptxAttr || !kernels) {
      error = "internal error: the CUDA pipeline left no PTX";
      return false;
    }
    ptx = ptxAttr.getValue().str();
    while (!ptx.empty() && ptx.back() == '\0')
      ptx.pop_back();
    module->removeAttr("tern.gpu.ptx");
    module->removeAttr("tern.gpu.kernels");
    std::string names;
    for (Attribute name : kernels)
      names += cast<StringAttr>(name).getValue().str() + '\0';
    data.push_back({::tern::kGpuPtxSymbol, ptx + '\0'});
    data.push_back({::tern::kGpuKernelsSymbol, names});
    metadata.triple = machine->triple;
    metadata.cpu = machine->cpu;
    metadata.features.clear();
    metadata.gpuArch = cuda.chip;
    return true;
  }
  bool hasDeviceCode() const override { return true; }
  std::string deviceCode() const override { return ptx; }

private:
  std::unique_ptr<CpuTarget> machine;
  CpuPipelineOptions transform;
  CudaPipelineOptions cuda;
  std::string ptx;
};

} // namespace

namespace mlir::tern {
void registerCudaTarget() {
  registerTarget("cuda", [] { return std::unique_ptr<Target>(new CudaTarget()); });
}
} // namespace mlir::tern
