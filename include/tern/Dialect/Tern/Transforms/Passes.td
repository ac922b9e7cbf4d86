//===- Passes.td - tern transformation passes --------------*- tablegen -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DIALECT_TERN_TRANSFORMS_PASSES_TD
#define TERN_DIALECT_TERN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PackWeightsPass : Pass<"tern-pack-weights"> {
  let summary = "Pack the constant weights of low-bit matmuls into a layout";
  let description = [{
    Rewrites every `tern.matmul` and `tern.bitlinear` whose weight is a
    constant (possibly behind `tern.pack`/`tern.unpack`, which are folded
    first) so that the weight is a constant already packed in `layout`, and
    the op's `layout` attribute says so. The packing happens at compile time:
    the IR afterwards holds no `tern.unpack` of those weights and no unpacked
    copy of them.

    `layout` is a `#tern.layout` attribute or its short form
    `ENCODING[:BLOCK][:ORDER]`, e.g. `i2:256`, `i2:128:msb`, `b3:5`, `i1:128`.
    A weight that holds a value the layout cannot store (a 0 in `i1`) is an
    error naming the op and the value's position. Weights that are not
    constants are left as they are. Large weights stay resource blobs.

    Binary weights (`#tern.kind<binary>`) go to `binary-layout` instead when
    it is given (one bit a weight, where `layout` may spend two).

    An op carrying the discardable attribute `tern.pack_layout` (a
    `#tern.layout`, set by `ternc --autotune` per weight shape) is packed
    into that layout instead of `layout`; the attribute is removed.
  }];
  let options = [
    Option<"layout", "layout", "std::string", /*default=*/"\"i2:256\"",
           "Target packing layout (#tern.layout<...> or ENCODING[:BLOCK][:ORDER])">,
    Option<"binaryLayout", "binary-layout", "std::string", /*default=*/"\"\"",
           "Target packing layout of binary weights (default: `layout`)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::tern::TernDialect"];
}

def RecognizeTernaryPass : Pass<"tern-recognize-ternary"> {
  let summary = "Turn float linear layers with ternary weights into integer matmuls";
  let description = [{
    Finds `tern.linear` ops whose weight is a float constant holding only
    `{-g, 0, +g}` in every row (one magnitude `g` per row, or one for the
    whole matrix), as exported BitNet models store their layers, or an int8
    constant holding only `{-1, 0, 1}` with its row scales (an ONNX
    DequantizeLinear the importer folded):

    * when the activations are a `tern.quantize` result converted to f32
      (the fake quantization of an exported model, recognized by the
      importer) and the product is then multiplied by that quantization's
      scale, the whole becomes `tern.dequantize(tern.matmul(q, w), s, g)` on
      int8, the weights unpacked ternary values (`#tern.layout<i8>`) that
      `tern-pack-weights` packs. A following multiplication by a scalar
      constant (the weight scale of an export that keeps the ternary values
      and the scale apart) becomes the column scale when `g` is 1, keeping
      the graph's order of float operations;
    * otherwise the layer stays a float `tern.linear` on f32 activations with
      int8 weights and one scale per row: the same values in a quarter of
      the bytes.

    Weights that are not ternary stay as they are.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::tern::TernDialect"];
}

def OutlineWeightsPass : Pass<"tern-outline-weights", "ModuleOp"> {
  let summary = "Gather constant buffers into one weights blob passed to every entry point";
  let description = [{
    Runs on bufferized IR. Every constant `memref.global` read by a public
    function is placed in one byte blob (each at a 64-byte aligned offset);
    every public function gets a new first argument `%weights: memref<?xi8>`
    and reads each constant as a `memref.view` of it. Public functions are
    the artifact's entry points: they are also marked `llvm.emit_c_interface`
    so the runtime can call them; private ones stay internal. The blob is attached to
    the module as `tern.weights` (a `dense_resource` of i8), from which the
    driver either embeds it in the artifact or writes it to a file the runtime
    maps: generated code is the same either way.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def LowerStridedCopiesPass : Pass<"tern-lower-strided-copies"> {
  let summary = "Turn memref.copy between non-contiguous buffers into linalg.copy";
  let description = [{
    The LLVM lowering of `memref.copy` calls `memrefCopy` from MLIR's C runner
    library whenever a side is not contiguous; Tern's artifacts link no such
    library. This pass rewrites those copies (KV-cache slices, transposes) as
    `linalg.copy`, which `convert-linalg-to-loops` turns into plain loops.
    Contiguous copies stay `memref.copy` (a `memcpy`), unless `all` is set:
    the CUDA pipeline turns every copy into a kernel, as its buffers live in
    device memory the host cannot `memcpy`.
  }];
  let options = [
    Option<"all", "all", "bool", /*default=*/"false",
           "Rewrite contiguous copies too (device buffers)">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // TERN_DIALECT_TERN_TRANSFORMS_PASSES_TD
