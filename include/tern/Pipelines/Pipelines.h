//===- Pipelines.h - The pass pipelines ternc runs --------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Every pipeline ternc runs is assembled here and registered with tern-opt
// under the same name and options, so any stage can be replayed:
//   tern-transform-pipeline     tern IR -> packed tern IR (ternc --emit=tern)
//   tern-cpu-lowering-pipeline  packed tern IR -> LLVM dialect
//   tern-cpu-pipeline           both
//
//===----------------------------------------------------------------------===//
#ifndef TERN_PIPELINES_PIPELINES_H
#define TERN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::tern {

struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  Option<std::string> isa{*this, "isa",
                          llvm::cl::desc("Kernel instructions: avx512vnni, "
                                         "avx2 or portable"),
                          llvm::cl::init("portable")};
  Option<std::string> layout{
      *this, "layout",
      llvm::cl::desc("Weight layout (ENCODING[:BLOCK][:ORDER]); default: the "
                     "one the isa unpacks in registers"),
      llvm::cl::init("")};
  Option<std::string> binaryKernel{
      *this, "binary-kernel",
      llvm::cl::desc("1-bit kernels: dot or mask-select (see "
                     "convert-tern-to-kernels)"),
      llvm::cl::init("dot")};
};

/// Checks option values (the isa name); on failure sets `error`.
LogicalResult verifyCpuPipelineOptions(const CpuPipelineOptions &options,
                                       std::string &error);

/// The weight layout the pipeline packs into for `options`.
std::string resolvedLayout(const CpuPipelineOptions &options);

void buildTernTransformPipeline(OpPassManager &pm,
                                const CpuPipelineOptions &options);
void buildTernCpuLoweringPipeline(OpPassManager &pm,
                                  const CpuPipelineOptions &options);
void buildTernCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// The CUDA target's options: the GPU architecture the PTX is for.
struct CudaPipelineOptions : public PassPipelineOptions<CudaPipelineOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("GPU architecture: sm_80 or sm_90"),
                           llvm::cl::init("sm_90")};
  Option<std::string> libdevice{
      *this, "libdevice",
      llvm::cl::desc("CUDA's libdevice bitcode, linked when kernels call its "
                     "math functions (default: found under $CUDA_HOME, "
                     "$CUDA_ROOT or /usr/local/cuda)"),
      llvm::cl::init("")};
};

/// CUDA's libdevice.10.bc under $CUDA_HOME, $CUDA_ROOT or /usr/local/cuda;
/// empty when there is none.
std::string findLibDevice();

/// The weight layout the CUDA kernels read (i2 codes in 64-weight blocks).
inline constexpr const char *kCudaLayout = "i2:64";

LogicalResult verifyCudaPipelineOptions(const CudaPipelineOptions &options,
                                        std::string &error);
/// Packed tern IR to host code in the LLVM dialect that launches PTX
/// kernels; the PTX is left in the module attribute `tern.gpu.ptx`.
void buildTernCudaLoweringPipeline(OpPassManager &pm,
                                   const CudaPipelineOptions &options);

void registerTernPipelines();

} // namespace mlir::tern

#endif // TERN_PIPELINES_PIPELINES_H
