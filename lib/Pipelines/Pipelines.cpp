//===- Pipelines.cpp - The pass pipelines ternc runs ----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Pipelines/Pipelines.h"
#include "tern/Conversion/Passes.h"
#include "tern/Conversion/TernToKernels/MatmulKernel.h"
#include "tern/Dialect/Tern/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::tern;

std::string mlir::tern::resolvedLayout(const CpuPipelineOptions &options) {
  if (!options.layout.empty())
    return options.layout;
  std::optional<DotIsa> isa = parseDotIsa(options.isa);
  return preferredLayout(isa ? *isa : DotIsa::Portable).spec();
}

/// Adds a textual pipeline; the texts below are fixed, so a parse failure is
/// a programming error reported through the pass manager.
static void addPipeline(OpPassManager &pm, const std::string &text) {
  if (failed(parsePassPipeline(text, pm, llvm::errs())))
    llvm::report_fatal_error(("bad built-in pipeline: " + text).c_str());
}

/// Bufferization, deallocation and the weights blob: what every lowering
/// does to the tensors the kernel conversions leave.
static void addBufferization(OpPassManager &pm) {
  // Chains of element-wise ops (an imported graph's op-by-op arithmetic)
  // become one loop each, without the buffers in between.
  addPipeline(pm, "func.func(linalg-fuse-elementwise-ops),canonicalize");
  addPipeline(pm, "one-shot-bufferize{bufferize-function-boundaries "
                  "function-boundary-type-conversion=identity-layout-map}");
  // A callee updating an argument in place (a decoder layer writing its
  // KV-cache slice) returns it; dropped, so deallocation does not copy it.
  addPipeline(pm, "drop-equivalent-buffer-results");
  addPipeline(pm, "buffer-deallocation-pipeline,convert-bufferization-to-memref");
  pm.addPass(createOutlineWeightsPass());
}

/// Host code to the LLVM dialect. With `deviceAllocations`, memref.alloc
/// and dealloc call the generic allocation functions, which CUDA artifacts
/// define to reach device memory.
static void addHostLowering(OpPassManager &pm, bool deviceAllocations) {
  addPipeline(pm, std::string("expand-strided-metadata,lower-affine,") +
                      (deviceAllocations
                           ? "finalize-memref-to-llvm{use-generic-functions=true},"
                           : "finalize-memref-to-llvm,") +
                      // Without rollback the conversion is linear in the
                      // number of loops; with it, quadratic (41 s for 30
                      // layers).
                      "convert-scf-to-cf{allow-pattern-rollback=false},"
                      // Integer powers become helper functions; what LLVM
                      // has no intrinsic for (erf) calls libm.
                      "convert-math-to-funcs,convert-math-to-llvm,"
                      "convert-math-to-libm,convert-vector-to-llvm,"
                      "convert-arith-to-llvm,convert-func-to-llvm,"
                      "convert-cf-to-llvm,convert-ub-to-llvm,"
                      "reconcile-unrealized-casts");
}

void mlir::tern::buildTernTransformPipeline(OpPassManager &pm,
                                            const CpuPipelineOptions &options) {
  pm.addPass(createCanonicalizerPass());
  // Float layers with ternary weights (exported models) become integer
  // matmuls before the weights are packed.
  pm.addPass(createRecognizeTernaryPass());
  PackWeightsPassOptions pack;
  pack.layout = resolvedLayout(options);
  // Binary weights one bit each, unless a layout was asked for.
  std::optional<DotIsa> isa = parseDotIsa(options.isa);
  if (options.layout.empty())
    pack.binaryLayout =
        preferredBinaryLayout(isa ? *isa : DotIsa::Portable).spec();
  pm.addPass(createPackWeightsPass(pack));
  pm.addPass(createCSEPass());
}

void mlir::tern::buildTernCpuLoweringPipeline(
    OpPassManager &pm, const CpuPipelineOptions &options) {
  // Kernels first: they take the ops they fuse (a dequantize into its
  // matmul, a quantize with its norm); linalg lowers the rest.
  ConvertTernToKernelsPassOptions kernels;
  kernels.isa = options.isa;
  kernels.binaryKernel = options.binaryKernel;
  pm.addPass(createConvertTernToKernelsPass(kernels));
  pm.addPass(createConvertTernToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  addBufferization(pm);
  pm.addPass(createLowerStridedCopiesPass());
  addPipeline(pm, "func.func(convert-linalg-to-loops)");
  pm.addPass(createCanonicalizerPass());
  addHostLowering(pm, /*deviceAllocations=*/false);
}

void mlir::tern::buildTernCpuPipeline(OpPassManager &pm,
                                      const CpuPipelineOptions &options) {
  buildTernTransformPipeline(pm, options);
  buildTernCpuLoweringPipeline(pm, options);
}

std::string mlir::tern::findLibDevice() {
  for (const char *variable : {"CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"})
    if (const char *root = std::getenv(variable)) {
      std::string path = std::string(root) + "/nvvm/libdevice/libdevice.10.bc";
      if (llvm::sys::fs::exists(path))
        return path;
    }
  std::string path = "/usr/local/cuda/nvvm/libdevice/libdevice.10.bc";
  return llvm::sys::fs::exists(path) ? path : std::string();
}

LogicalResult mlir::tern::verifyCudaPipelineOptions(
    const CudaPipelineOptions &options, std::string &error) {
  if (options.chip != "sm_80" && options.chip != "sm_90") {
    error = "unknown GPU architecture '" + options.chip +
            "'; expected sm_80 or sm_90";
    return failure();
  }
  return success();
}

void mlir::tern::buildTernCudaLoweringPipeline(
    OpPassManager &pm, const CudaPipelineOptions &options) {
  // Tern's kernels take the ops they have; linalg lowers the rest, and its
  // loops become generic kernels below.
  pm.addPass(createConvertTernToGpuPass());
  pm.addPass(createConvertTernToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  addBufferization(pm);
  // Device buffers: every copy is a kernel.
  LowerStridedCopiesPassOptions copies;
  copies.all = true;
  pm.addPass(createLowerStridedCopiesPass(copies));
  // No canonicalization before mapping: it folds one-trip loops into host
  // code.
  addPipeline(pm, "func.func(convert-linalg-to-parallel-loops)");
  pm.addPass(createMapParallelLoopsToGpuPass());
  addPipeline(pm, "func.func(gpu-map-parallel-loops),"
                  "func.func(convert-parallel-loops-to-gpu),"
                  "gpu-kernel-outlining,canonicalize,cse");
  pm.addPass(createMergeGpuModulesPass());
  // PTX 8.0: what sm_90 needs at least, and ptxas of CUDA 12 and 13 read.
  addPipeline(pm, "nvvm-attach-target{chip=" + options.chip.getValue() +
                      " features=+ptx80 O=3}");
  addPipeline(pm, "gpu.module(expand-strided-metadata,lower-affine,"
                  "convert-scf-to-cf,convert-gpu-to-nvvm,"
                  "canonicalize,cse,reconcile-unrealized-casts)");
  // Generic kernels' math (exp in SiLU, erf in GELU) calls libdevice.
  std::string libdevice =
      options.libdevice.empty() ? findLibDevice() : options.libdevice.getValue();
  addPipeline(pm, "gpu-module-to-binary{format=isa" +
                      (libdevice.empty() ? std::string() : " l=" + libdevice) +
                      "}");
  pm.addPass(createLowerGpuLaunchesPass());
  addHostLowering(pm, /*deviceAllocations=*/true);
}

LogicalResult mlir::tern::verifyCpuPipelineOptions(
    const CpuPipelineOptions &options, std::string &error) {
  if (!parseDotIsa(options.isa)) {
    error = "unknown isa '" + options.isa +
            "'; expected avx512vnni, avx2, portable, neon, dotprod or i8mm";
    return failure();
  }
  return success();
}

/// Registers `builder` under `name` with its options, rejecting bad option
/// values (`verify`) before any pass runs.
template <typename Options>
static void registerPipeline(
    StringRef name, StringRef description,
    void (*builder)(OpPassManager &, const Options &),
    LogicalResult (*verify)(const Options &, std::string &)) {
  registerPassPipeline(
      name, description,
      [builder, verify, name](OpPassManager &pm, StringRef text,
                              function_ref<LogicalResult(const Twine &)> onError) {
        Options options;
        if (failed(options.parseFromString(text)))
          return failure();
        std::string error;
        if (failed(verify(options, error)))
          return onError(name + ": " + error);
        builder(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> handler) {
        handler(Options());
      });
}

static void registerCpuPipeline(
    StringRef name, StringRef description,
    void (*builder)(OpPassManager &, const CpuPipelineOptions &)) {
  registerPipeline<CpuPipelineOptions>(name, description, builder,
                                       verifyCpuPipelineOptions);
}

void mlir::tern::registerTernPipelines() {
  registerPipeline<CudaPipelineOptions>(
      "tern-cuda-lowering-pipeline",
      "Lower packed tern IR to host code launching PTX kernels (CUDA)",
      buildTernCudaLoweringPipeline, verifyCudaPipelineOptions);
  registerCpuPipeline("tern-transform-pipeline",
                      "Fold and pack weights: what ternc --emit=tern runs",
                      buildTernTransformPipeline);
  registerCpuPipeline("tern-cpu-lowering-pipeline",
                      "Lower packed tern IR to the LLVM dialect for CPUs",
                      buildTernCpuLoweringPipeline);
  registerCpuPipeline(
      "tern-cpu-pipeline",
      "tern IR to the LLVM dialect for CPUs: what ternc runs before LLVM",
      buildTernCpuPipeline);
}
