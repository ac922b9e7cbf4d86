//===- TernAttrs.td - tern attributes ----------------------*- tablegen -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The three attributes that describe a low-bit weight: what it holds (kind),
// how its scale is shared (scale), how it is stored (layout).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DIALECT_TERN_IR_TERNATTRS_TD
#define TERN_DIALECT_TERN_IR_TERNATTRS_TD

include "tern/Dialect/Tern/IR/TernDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class Tern_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Tern_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
  // Default values in op definitions are full C++ expressions.
  let constBuilderCall = "$0";
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Tern_ScaleGranularity : I32EnumAttr<"ScaleGranularity",
    "how a float scale is shared across a weight matrix", [
      I32EnumAttrCase<"PerTensor", 0, "per_tensor">,
      I32EnumAttrCase<"PerRow", 1, "per_row">,
      I32EnumAttrCase<"Group", 2, "group">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::tern";
}

def Tern_RopeStyle : I32EnumAttr<"RopeStyle",
    "which elements of a head RoPE rotates together", [
      I32EnumAttrCase<"Half", 0, "half">,
      I32EnumAttrCase<"Interleaved", 1, "interleaved">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::tern";
}

def Tern_RopeStyleAttr : EnumAttr<Tern_Dialect, Tern_RopeStyle, "rope_style"> {
  let assemblyFormat = "`<` $value `>`";
  let description = [{
    `half` rotates element `i` with element `i + D/2` (Hugging Face Llama's
    `rotate_half`, GPT-NeoX); `interleaved` rotates element `2i` with `2i + 1`
    (Meta's original Llama code, GPT-J, GGUF `llama` files).
  }];
}

//===----------------------------------------------------------------------===//
// #tern.kind
//===----------------------------------------------------------------------===//

def Tern_KindAttr : Tern_Attr<"Kind", "kind"> {
  let summary = "the value domain of a low-bit weight";
  let description = [{
    `#tern.kind<ternary>`: every weight is -1, 0 or +1 (BitNet b1.58).
    `#tern.kind<binary>`: every weight is -1 or +1 (BitNet, Bonsai / Q1_0).
  }];
  let parameters = (ins "::tern::WeightKind":$kind);
  let hasCustomAssemblyFormat = 1;
  let extraClassDeclaration = [{
    bool isTernary() const { return getKind() == ::tern::WeightKind::Ternary; }
    bool isBinary() const { return getKind() == ::tern::WeightKind::Binary; }
  }];
}

//===----------------------------------------------------------------------===//
// #tern.scale
//===----------------------------------------------------------------------===//

def Tern_ScaleAttr : Tern_Attr<"Scale", "scale"> {
  let summary = "how a weight matrix shares its float scales";
  let description = [{
    For an `[N, K]` weight matrix:
    * `#tern.scale<per_tensor>`: one scale, a `tensor<f32>` (BitNet b1.58's
      absmean `gamma`).
    * `#tern.scale<per_row>`: one scale per output row, `tensor<Nxf32>`.
    * `#tern.scale<group = G>`: one scale per row and per group of `G`
      consecutive weights along K, `tensor<N x ceil(K/G) x f32>` (Q1_0 uses
      G = 128). The last group of a row may be short.
  }];
  let parameters = (ins
    EnumParameter<Tern_ScaleGranularity>:$granularity,
    "int64_t":$groupSize
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "::mlir::tern::ScaleGranularity":$granularity), [{
      return $_get($_ctxt, granularity, 0);
    }]>
  ];
  let extraClassDeclaration = [{
    /// The shape of the scale tensor for an [n, k] weight matrix (-1 stands
    /// for a dynamic size).
    ::llvm::SmallVector<int64_t> getScaleShape(int64_t n, int64_t k) const;
  }];
}

//===----------------------------------------------------------------------===//
// #tern.layout
//===----------------------------------------------------------------------===//

def Tern_LayoutAttr : Tern_Attr<"Layout", "layout"> {
  let summary = "the physical packing of low-bit weights along K";
  let description = [{
    How an `[N, K]` low-bit weight matrix is stored as an `[N, P]` tensor of
    bytes (`i8`), each row packed independently along K. K is padded with zero
    weights (sign bit 0 for `i1`) to a whole number of blocks, so
    `P = ceil(K / block) * block / values_per_byte`.

    * `#tern.layout<i8>`: unpacked, one two's-complement weight per byte.
    * `#tern.layout<i2, block = B[, msb]>`: 2-bit codes `w + 1`, 4 per byte.
      With `S = B / 4`, weight `j` of a block is in byte `j % S` at bit
      `2 * (j / S)` (or `6 - 2 * (j / S)` with `msb`). `block = 4` is the
      dense order; `block = 128` is ggml TQ2_0's half block, and with `msb`
      bitnet.cpp's I2_S; `block = 256` lets one 512-bit load and four shifts
      give four vectors of 64 consecutive weights.
    * `#tern.layout<b3, block = B>`: base 3, 5 trits per byte (ggml TQ1_0's
      encoding). With `S = B / 5`, weight `j` of a block is digit `j / S`
      (most significant first) of byte `j % S`, which stores
      `ceil(v * 256 / 243)` for the 5-digit base-3 number `v` of codes.
    * `#tern.layout<i1, block = B[, msb]>`: one bit per weight, 1 is +1 and 0
      is -1 (binary weights only); with `S = B / 8`, weight `j` of a block is
      in byte `j % S` at bit `j / S` (or `7 - j / S` with `msb`).

    `block` defaults to one byte's worth of weights and `lsb` order.

    `rows = R` (packed encodings, default 1) interleaves the rows in groups of
    R (the last group may be smaller, G rows): block `b` of row `r` of a group
    is at byte `(b * G + r) * S` of the group, which occupies G packed rows.
    A matrix-vector kernel computing R rows at a time then streams one
    contiguous run of bytes.
  }];
  let parameters = (ins
    "::tern::Encoding":$encoding,
    "int64_t":$block,
    "::tern::BitOrder":$order,
    "int64_t":$rows
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "const ::tern::Layout &":$layout), [{
      return $_get($_ctxt, layout.encoding, layout.block, layout.order,
                   layout.rows);
    }]>
  ];
  let extraClassDeclaration = [{
    ::tern::Layout getLayout() const {
      return ::tern::Layout{getEncoding(), getBlock(), getOrder(), getRows()};
    }
    /// Bytes per packed row of `k` weights; dynamic (-1) stays dynamic.
    int64_t getPackedRowBytes(int64_t k) const;
    bool isUnpacked() const { return getEncoding() == ::tern::Encoding::I8; }
    /// The unpacked layout, #tern.layout<i8>.
    static LayoutAttr getUnpacked(::mlir::MLIRContext *context);
  }];
}

#endif // TERN_DIALECT_TERN_IR_TERNATTRS_TD
