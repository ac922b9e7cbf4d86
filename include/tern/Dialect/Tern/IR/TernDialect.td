//===- TernDialect.td - The tern dialect -------------------*- tablegen -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DIALECT_TERN_IR_TERNDIALECT_TD
#define TERN_DIALECT_TERN_IR_TERNDIALECT_TD

include "mlir/IR/OpBase.td"

def Tern_Dialect : Dialect {
  let name = "tern";
  let cppNamespace = "::mlir::tern";
  let summary = "Low-bit (ternary and 1-bit) LLM inference";
  let description = [{
    The vocabulary of low-bit inference: quantizing weights to trits or signs,
    quantizing activations to int8, packing low-bit weights into bytes, the
    integer matmul over them, the fused BitNet linear layer, and the decoder
    pieces that need their own kernels (RMSNorm, RoPE, attention over a KV
    cache).

    Meaning and storage are separate attributes: `#tern.kind` says what values
    a weight tensor holds (trits or signs), `#tern.scale` how its float scale
    is shared (per tensor, per output row, per group along K), and
    `#tern.layout` how the values are packed into bytes. A pass can change the
    packing of a weight without changing what the program computes.

    Conventions shared by every op:
    * Weight matrices are `[N, K]` (output features by reduction dimension,
      like `torch.nn.Linear.weight`); activations are `[M, K]`.
    * Rounding is round-half-to-even (`torch.round`, which the BitNet reference
      code uses), computed in f32.
    * A scale tensor holds the dequantization multiplier: `x ~= q * scale`.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let extraClassDeclaration = [{
    /// Registers the attributes; defined beside their storage classes.
    void registerAttributes();
  }];
}

#endif // TERN_DIALECT_TERN_IR_TERNDIALECT_TD
