//===- TernOps.td - tern operations ------------------------*- tablegen -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The tern ops. Each description states the exact math, because every lowering
// and every numerical test is written against it.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DIALECT_TERN_IR_TERNOPS_TD
#define TERN_DIALECT_TERN_IR_TERNOPS_TD

include "tern/Dialect/Tern/IR/TernAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Tern_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tern_Dialect, mnemonic, traits>;

def Tern_FloatTensor : RankedTensorOf<[F16, BF16, F32]>;
def Tern_F32Tensor : RankedTensorOf<[F32]>;
def Tern_I8Tensor : RankedTensorOf<[I8]>;
def Tern_I32Tensor : RankedTensorOf<[I32]>;
def Tern_IntTensor : RankedTensorOf<[I8, I32]>;
def Tern_IndexTensor : RankedTensorOf<[I32, I64]>;

def Tern_DefaultKind : DefaultValuedAttr<Tern_KindAttr,
    "::mlir::tern::KindAttr::get($_builder.getContext(), ::tern::WeightKind::Ternary)">;
def Tern_DefaultLayout : DefaultValuedAttr<Tern_LayoutAttr,
    "::mlir::tern::LayoutAttr::getUnpacked($_builder.getContext())">;
def Tern_DefaultEpsilon : DefaultValuedAttr<F32Attr, "1e-5f">;

//===----------------------------------------------------------------------===//
// Weight quantization
//===----------------------------------------------------------------------===//

def Tern_TernarizeOp : Tern_Op<"ternarize", [Pure]> {
  let summary = "absmean ternarization of float weights";
  let description = [{
    Quantizes an `[N, K]` float weight matrix to trits and scales, as BitNet
    b1.58's reference `weight_quant` does. For every scale group `g` (the
    whole matrix, a row, or a group of K; see `#tern.scale`):

    ```
    gamma_g = max(mean_{w in g} |w|, epsilon)        (f32, summed in order)
    q       = clamp(round_half_even(w * (1 / gamma_g)), -1, 1)
    scale_g = gamma_g                                 (w ~= q * scale_g)
    ```

    Example:
    ```mlir
    %q, %gamma = tern.ternarize %w : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<f32>
    ```
  }];
  let arguments = (ins
    Tern_FloatTensor:$input,
    DefaultValuedAttr<Tern_ScaleAttr,
      "::mlir::tern::ScaleAttr::get($_builder.getContext(), ::mlir::tern::ScaleGranularity::PerTensor)">:$granularity,
    Tern_DefaultEpsilon:$epsilon
  );
  let results = (outs Tern_I8Tensor:$values, Tern_F32Tensor:$scale);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($values) `,` type($scale)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tern_BinarizeOp : Tern_Op<"binarize", [Pure]> {
  let summary = "sign binarization of float weights with mean-magnitude scales";
  let description = [{
    Quantizes an `[N, K]` float weight matrix to signs and scales (1-bit
    models, Q1_0). For every scale group `g`:

    ```
    q       = w >= 0 ? +1 : -1
    scale_g = mean_{w in g} |w|                       (w ~= q * scale_g)
    ```

    Example:
    ```mlir
    %s, %d = tern.binarize %w {granularity = #tern.scale<group = 128>}
        : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<64x2xf32>
    ```
  }];
  let arguments = (ins
    Tern_FloatTensor:$input,
    DefaultValuedAttr<Tern_ScaleAttr,
      "::mlir::tern::ScaleAttr::get($_builder.getContext(), ::mlir::tern::ScaleGranularity::PerTensor)">:$granularity
  );
  let results = (outs Tern_I8Tensor:$values, Tern_F32Tensor:$scale);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($values) `,` type($scale)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Activation quantization
//===----------------------------------------------------------------------===//

def Tern_QuantizeOp : Tern_Op<"quantize", [Pure]> {
  let summary = "per-token absmax quantization to int8";
  let description = [{
    Quantizes every row (the last dimension) of a float tensor to int8, as
    BitNet's reference `activation_quant` does:

    ```
    m     = max(max_k |x[..., k]|, epsilon)
    q     = clamp(round_half_even(x * (127 / m)), -128, 127)
    scale = m / 127                                  (x ~= q * scale)
    ```

    The scale tensor has the input's shape without its last dimension.

    Example:
    ```mlir
    %q, %s = tern.quantize %x : tensor<4x2560xf32> -> tensor<4x2560xi8>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Tern_FloatTensor:$input, Tern_DefaultEpsilon:$epsilon);
  let results = (outs Tern_I8Tensor:$output, Tern_F32Tensor:$scale);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output) `,` type($scale)
  }];
  let hasVerifier = 1;
}

def Tern_DequantizeOp : Tern_Op<"dequantize", [Pure]> {
  let summary = "rescale integers to float by row and column scales";
  let description = [{
    Turns int8 values or int32 accumulators back into f32:

    ```
    y[..., n] = (f32(q[..., n]) * row_scale[...]) * col_scale(n)
    ```

    `row_scale` has the input's shape without its last dimension (the
    per-token scale from `tern.quantize`). The optional `col_scale` is a
    weight scale: a `tensor<f32>` shared by all columns or a `tensor<Nxf32>`,
    one per output column. `quantize -> matmul -> dequantize` is exactly
    `tern.bitlinear` with a per-tensor or per-row weight scale.

    Example:
    ```mlir
    %y = tern.dequantize %acc, %s, %gamma
        : tensor<4x640xi32>, tensor<4xf32>, tensor<f32> -> tensor<4x640xf32>
    ```
  }];
  let arguments = (ins
    Tern_IntTensor:$input,
    Tern_F32Tensor:$row_scale,
    Optional<Tern_F32Tensor>:$col_scale
  );
  let results = (outs Tern_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $row_scale (`,` $col_scale^)? attr-dict `:` type($input) `,`
    type($row_scale) (`,` type($col_scale)^)? `->` type($output)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Packing
//===----------------------------------------------------------------------===//

def Tern_PackOp : Tern_Op<"pack", [Pure]> {
  let summary = "pack unpacked low-bit values into a layout";
  let description = [{
    Packs the last dimension (K) of an int8 tensor of low-bit values into the
    bytes of `layout` (see `#tern.layout`); the last dimension of the result is
    `ceil(K / block) * block / values_per_byte`. Values a layout cannot hold
    (0 or |v| > 1 for `i1`, |v| > 1 for `i2`/`b3`) are an error when the input
    is a constant; at run time they are clamped to [-1, 1] (`i1`: v > 0 is +1).

    Example:
    ```mlir
    %p = tern.pack %w {layout = #tern.layout<i2, block = 256>}
        : tensor<640x2560xi8> -> tensor<640x640xi8>
    ```
  }];
  let arguments = (ins Tern_I8Tensor:$input, Tern_LayoutAttr:$layout);
  let results = (outs Tern_I8Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tern_UnpackOp : Tern_Op<"unpack", [Pure]> {
  let summary = "unpack low-bit values from a layout to one int8 each";
  let description = [{
    The inverse of `tern.pack`: the result's last dimension is the logical K,
    which the packed bytes alone cannot tell because of padding. An `i2` code
    of 3 (never written by `tern.pack`) unpacks to +2, which is also what the
    integer kernels compute for it.

    Example:
    ```mlir
    %w = tern.unpack %p {layout = #tern.layout<b3, block = 5>}
        : tensor<8x3xi8> -> tensor<8x13xi8>
    ```
  }];
  let arguments = (ins Tern_I8Tensor:$input, Tern_LayoutAttr:$layout);
  let results = (outs Tern_I8Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Low-bit linear algebra
//===----------------------------------------------------------------------===//

def Tern_MatmulOp : Tern_Op<"matmul", [Pure]> {
  let summary = "int8 activations times packed low-bit weights, int32 result";
  let description = [{
    ```
    acc[m, n] = sum_k i32(a[m, k]) * i32(w[n, k])
    ```

    `a` is `[M, K]` int8; `w` is an `[N, K]` matrix of `kind` values stored in
    `layout`, so its type is `[N, P]` with `P` the packed row size of K. The
    sum is exact in int32 for K < 2^17 (|a| <= 128, |w| <= 1).

    Example:
    ```mlir
    %acc = tern.matmul %q, %w {layout = #tern.layout<i2, block = 256>}
        : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
    ```
  }];
  let arguments = (ins
    Tern_I8Tensor:$lhs,
    Tern_I8Tensor:$weight,
    Tern_DefaultKind:$kind,
    Tern_DefaultLayout:$layout
  );
  let results = (outs Tern_I32Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $weight attr-dict `:` type($lhs) `,` type($weight) `->` type($output)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Tern_BitLinearOp : Tern_Op<"bitlinear", [Pure]> {
  let summary = "the fused BitNet linear layer";
  let description = [{
    Quantizes the float activations per token (`tern.quantize` with
    `epsilon`), multiplies them by the low-bit weights in integers
    (`tern.matmul`), rescales by both scales and adds the optional bias:

    ```
    q, s      = quantize(x)                              (per row m)
    y[m, n]   = f32(sum_k q[m, k] * w[n, k]) * s[m] * ws(n) + bias[n]
    ```

    `ws(n)` comes from `weight_scale` as `granularity` says. With
    `#tern.scale<group = G>` the integer sums are per group and rescaled before
    they are added: `y[m, n] = s[m] * sum_g ws[n, g] * f32(sum_{k in g} ...)`.

    Example:
    ```mlir
    %y = tern.bitlinear %x, %w, %gamma {layout = #tern.layout<i2, block = 256>}
        : tensor<1x2560xf32>, tensor<640x640xi8>, tensor<f32> -> tensor<1x640xf32>
    ```
  }];
  let arguments = (ins
    Tern_F32Tensor:$input,
    Tern_I8Tensor:$weight,
    Tern_F32Tensor:$weight_scale,
    Optional<Tern_F32Tensor>:$bias,
    Tern_DefaultKind:$kind,
    Tern_DefaultLayout:$layout,
    DefaultValuedAttr<Tern_ScaleAttr,
      "::mlir::tern::ScaleAttr::get($_builder.getContext(), ::mlir::tern::ScaleGranularity::PerTensor)">:$granularity,
    Tern_DefaultEpsilon:$epsilon
  );
  let results = (outs Tern_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight `,` $weight_scale (`,` $bias^)? attr-dict `:`
    type($input) `,` type($weight) `,` type($weight_scale)
    (`,` type($bias)^)? `->` type($output)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Tern_LinearOp : Tern_Op<"linear", [Pure]> {
  let summary = "float activations times float (or scaled int8) weights";
  let description = [{
    ```
    y[m, n] = sum_k x[m, k] * f32(w[n, k])                 (float w)
    y[m, n] = scale[n] * sum_k x[m, k] * f32(w[n, k])      (int8 w)
    ```

    `x` is `[M, K]` f32 and `w` an `[N, K]` weight in f32, bf16 or f16,
    widened exactly to f32, or in i8 with one f32 `scale` per row (an output
    head quantized on request, `ternc --lm-head=int8`); sums are f32 in an
    unspecified order. The activations stay f32: only the weights are
    quantized. This is the layer a ternary model keeps in float (the output
    head) and the dense baseline the benchmarks compare against.

    Example:
    ```mlir
    %logits = tern.linear %h, %head : tensor<1x2560xf32>, tensor<128256x2560xbf16> -> tensor<1x128256xf32>
    %logits8 = tern.linear %h, %head8 scale %s : tensor<1x2560xf32>, tensor<128256x2560xi8>, tensor<128256xf32> -> tensor<1x128256xf32>
    ```
  }];
  let arguments = (ins Tern_F32Tensor:$input,
                       RankedTensorOf<[F16, BF16, F32, I8]>:$weight,
                       Optional<Tern_F32Tensor>:$scale);
  let results = (outs Tern_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`scale` $scale^)? attr-dict `:` type($input) `,` type($weight) (`,` type($scale)^)? `->` type($output)
  }];
  let builders = [
    OpBuilder<(ins "Type":$output, "Value":$input, "Value":$weight), [{
      build($_builder, $_state, output, input, weight, Value());
    }]>
  ];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Decoder building blocks
//===----------------------------------------------------------------------===//

def Tern_RmsNormOp : Tern_Op<"rms_norm", [Pure]> {
  let summary = "RMS normalization over the last dimension";
  let description = [{
    ```
    y[..., k] = x[..., k] * (1 / sqrt(mean_k(x[..., k]^2) + epsilon)) * weight[k]
    ```
    computed in f32, as Hugging Face's `LlamaRMSNorm` does.

    Example:
    ```mlir
    %y = tern.rms_norm %x, %g : tensor<4x2560xf32>, tensor<2560xf32> -> tensor<4x2560xf32>
    ```
  }];
  let arguments = (ins
    Tern_F32Tensor:$input,
    Tern_F32Tensor:$weight,
    DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon
  );
  let results = (outs Tern_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` type($input) `,` type($weight) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Tern_RopeOp : Tern_Op<"rope", [Pure]> {
  let summary = "rotary position embedding";
  let description = [{
    Rotates pairs of elements of every head of `input` (`[T, H, D]`, D even)
    by angles that grow with the token's absolute position `positions[t]`:

    ```
    freq_i  = theta ^ (-2i / D)                      i in [0, D/2)
    a       = f32(positions[t]) * freq_i
    (x0, x1) = the i-th pair: (i, i + D/2) for half, (2i, 2i + 1) for interleaved
    y[x0]   = x0 * cos(a) - x1 * sin(a)
    y[x1]   = x1 * cos(a) + x0 * sin(a)
    ```

    Example:
    ```mlir
    %y = tern.rope %q, %pos {theta = 500000.0 : f32}
        : tensor<4x20x128xf32>, tensor<4xi64> -> tensor<4x20x128xf32>
    ```
  }];
  let arguments = (ins
    Tern_F32Tensor:$input,
    Tern_IndexTensor:$positions,
    DefaultValuedAttr<F32Attr, "10000.0f">:$theta,
    DefaultValuedAttr<Tern_RopeStyleAttr, "::mlir::tern::RopeStyle::Half">:$style
  );
  let results = (outs Tern_F32Tensor:$output);
  let assemblyFormat = [{
    $input `,` $positions attr-dict `:` type($input) `,` type($positions) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Tern_AttentionOp : Tern_Op<"attention", [Pure]> {
  let summary = "causal grouped-query attention that appends to a KV cache";
  let description = [{
    `query` is `[T, Hq, D]`, `key` and `value` are `[T, Hkv, D]` for T new
    tokens at absolute positions `p0 .. p0 + T - 1`, where `p0 = position` (a
    0-d i32/i64 tensor). The caches are `[Hkv, S, D]`; S is their capacity.
    The op first writes the new keys and values into the caches, then attends:

    ```
    kc[h, p0 + t, :] = key[t, h, :]        vc[h, p0 + t, :] = value[t, h, :]
    g                = hq / (Hq / Hkv)                      (grouped query)
    s[j]             = scale * dot(query[t, hq, :], kc[g, j, :])   j <= p0 + t
    p                = softmax(s)                           (max-subtracted, f32)
    out[t, hq, :]    = sum_j p[j] * vc[g, j, :]
    ```

    The results are the attention output and the updated caches, which
    bufferization places back into the caches' buffers. `scale` defaults to
    `1 / sqrt(D)`. Running past the cache (p0 + T > S) is a run-time error.

    Example:
    ```mlir
    %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0
        : tensor<1x20x128xf32>, tensor<1x5x128xf32>, tensor<1x5x128xf32>,
          tensor<5x4096x128xf32>, tensor<5x4096x128xf32>, tensor<i64>
        -> tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>
    ```
  }];
  let arguments = (ins
    Tern_F32Tensor:$query,
    Tern_F32Tensor:$key,
    Tern_F32Tensor:$value,
    Tern_F32Tensor:$key_cache,
    Tern_F32Tensor:$value_cache,
    Tern_IndexTensor:$position,
    OptionalAttr<F32Attr>:$scale
  );
  let results = (outs
    Tern_F32Tensor:$output,
    Tern_F32Tensor:$new_key_cache,
    Tern_F32Tensor:$new_value_cache
  );
  let assemblyFormat = [{
    $query `,` $key `,` $value `,` $key_cache `,` $value_cache `,` $position
    attr-dict `:` type($query) `,` type($key) `,` type($value) `,`
    type($key_cache) `,` type($value_cache) `,` type($position) `->`
    type($output) `,` type($new_key_cache) `,` type($new_value_cache)
  }];
  let hasVerifier = 1;
}

#endif // TERN_DIALECT_TERN_IR_TERNOPS_TD
