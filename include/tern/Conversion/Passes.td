//===- Passes.td - tern conversion passes ------------------*- tablegen -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CONVERSION_PASSES_TD
#define TERN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTernToLinalgPass : Pass<"convert-tern-to-linalg", "ModuleOp"> {
  let summary = "Lower tern element-wise and normalization ops to linalg";
  let description = [{
    Expands `tern.bitlinear` into `tern.quantize`, `tern.matmul` and
    `tern.dequantize` (plus the bias), and lowers `tern.quantize`,
    `tern.dequantize` and `tern.rms_norm` to `linalg.generic` ops on tensors
    with exactly the math their descriptions state. `tern.matmul` is left for
    `convert-tern-to-kernels`. `tern.rope` becomes a `linalg.generic` that
    reads each element's rotation partner with `tensor.extract`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def ConvertTernToKernelsPass : Pass<"convert-tern-to-kernels", "ModuleOp"> {
  let summary = "Lower tern.matmul, tern.attention and row ops to calls of generated CPU kernels";
  let description = [{
    Expands `tern.bitlinear` first (as `convert-tern-to-linalg` does), then
    lowers what has a kernel; `convert-tern-to-linalg` lowers the rest after
    it.


    Replaces every `tern.matmul` by a call to a microkernel generated into the
    module for the op's weight layout and the target's dot-product
    instructions (`isa`): `avx512vnni` (vpdpbusd), `avx2` (vpmaddubsw +
    vpmaddwd) or `portable` (plain vector arithmetic). Layouts the isa unpacks
    in registers (`i2` with block = 4 vectors) are read directly; every other
    layout is decoded per tile of weight rows. Operands are handed over as
    buffers (`bufferization.to_buffer`), so run this before
    `one-shot-bufferize`.

    `tern.attention` becomes `tensor.insert_slice`s of the new keys and values
    into the caches (in place after bufferization) and a call of an attention
    kernel generated for the head dimension; a position that does not fit the
    cache sets the artifact's error word `__tern_error` instead.

    A `tern.dequantize` of a `tern.matmul` used only by it becomes one call
    of the dequantizing matmul kernel (f32 out, no i32 intermediate).
    `tern.quantize` and `tern.rms_norm` on 2-D f32 tensors become calls of
    row kernels (rows over the threads, f32 vectors along the row); a
    quantize of a norm used only by it is one fused kernel.
  }];
  let options = [
    Option<"isa", "isa", "std::string", /*default=*/"\"portable\"",
           "Dot-product instructions: avx512vnni, avx2, portable (x86-64); neon, dotprod, i8mm (AArch64)">,
    Option<"binaryKernel", "binary-kernel", "std::string", /*default=*/"\"dot\"",
           "1-bit weights unpacked in registers: dot (sign bits shifted out "
           "as 0/1 codes, times the activations) or mask-select (each bit "
           "selects its activation, summed by vpdpbusd with ones; AVX-512)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::vector::VectorDialect"
  ];
}

def ConvertTernToGpuPass : Pass<"convert-tern-to-gpu", "ModuleOp"> {
  let summary = "Lower tern ops to launches of Tern's CUDA kernels";
  let description = [{
    Replaces tern ops on tensors by `gpu.launch_func`s of the kernels in
    `lib/Conversion/TernToGpu/*.mlir`, copied into the module's
    `gpu.module @tern_kernels`; operands are handed over as raw pointers of
    buffers (`bufferization.to_buffer`), so run this before
    `one-shot-bufferize`:

    - `tern.bitlinear` with `#tern.layout<i2, block = 64>` weights and
      per-tensor or per-row scales: a quantize kernel (RMSNorm fused in when
      the input is a `tern.rms_norm` used only here), then the dp4a
      matrix-vector kernel for one token or the mma.sync kernel for more;
    - 2-D `tern.rms_norm`, `tern.rope`, `tern.linear` (f32, bf16, f16 or
      scaled int8 weights);
    - `tern.attention` with a head dimension that is a multiple of 32 up to
      256: the caches are updated in place as on CPUs, then one block per
      head and token attends over them.

    Everything else is left to `convert-tern-to-linalg`, whose loops become
    generic GPU kernels later in the pipeline.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::gpu::GPUDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect", "::mlir::NVVM::NVVMDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def MapParallelLoopsToGpuPass : Pass<"tern-map-parallel-loops-to-gpu", "ModuleOp"> {
  let summary = "Shape the host's scf.parallel loops into grids of 256-thread blocks";
  let description = [{
    Every outermost `scf.parallel` of a host function (the loops of linalg
    ops left after the tern kernels) is collapsed to one dimension and tiled
    by 256 with constant inner bounds, then mapped: tiles to blocks, the
    tile's iterations to threads. First, the stand-in calls
    `convert-tern-to-gpu` left become `gpu.launch_func`s of Tern's kernels,
    which are added to `gpu.module @tern_kernels` now that the buffers are
    deallocated. `convert-parallel-loops-to-gpu` and
    `gpu-kernel-outlining` make kernels of them.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect", "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def MergeGpuModulesPass : Pass<"tern-merge-gpu-modules", "ModuleOp"> {
  let summary = "Move every kernel into one gpu.module (one PTX module per artifact)";
  let description = [{
    `gpu-kernel-outlining` puts each kernel in a gpu.module of its own; this
    moves them into `@tern_kernels` (renamed after their modules, which are
    unique) and updates the launches, then drops the kernels nothing
    launches and the helpers nothing calls.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def LowerGpuLaunchesPass : Pass<"tern-lower-gpu-launches", "ModuleOp"> {
  let summary = "Host side of CUDA artifacts: launches through the runtime's hooks";
  let description = [{
    Runs after `gpu-module-to-binary{format=isa}`. Checks that host code
    reads no device memory (only rank-0 arguments, which the runtime keeps in
    host-mapped memory), moves the PTX of the `gpu.binary` to the module
    attribute `tern.gpu.ptx` and the launched kernels' names to
    `tern.gpu.kernels`, and replaces every `gpu.launch_func` by a call through
    the artifact's `__tern_gpu_launch` hook with the kernel's handle from
    `__tern_gpu_functions` and an array of pointers to its parameters (memrefs
    expanded as NVVM's calling convention does: allocated and aligned pointer,
    offset, sizes, strides). `memref.alloc`/`dealloc`, lowered later with
    `use-generic-functions`, reach device memory through `__tern_gpu_alloc` and
    `__tern_gpu_free`, defined here.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // TERN_CONVERSION_PASSES_TD
