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
           "Dot-product instructions: avx512vnni, avx2 or portable">,
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

#endif // TERN_CONVERSION_PASSES_TD
