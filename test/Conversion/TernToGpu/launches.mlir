// convert-tern-to-gpu replaces tern ops by launches of Tern's CUDA kernels,
// written as calls of stand-in declarations (grid x, y, z, threads, then
// the kernel's operands) until bufferization is done. A bit-linear layer
// quantizes its input with the RMSNorm before it fused in, then multiplies
// with the dp4a kernel for one token (8 rows per 256-thread block) or the
// tensor-core kernel for several (128 rows x 16 tokens per block).
// RUN: tern-opt %s --convert-tern-to-gpu | FileCheck %s

// CHECK-LABEL: func.func @decode
// CHECK-NOT: tern.rms_norm
// CHECK: call @tern.launch.tern_quantize(%{{.*}}, %c1{{.*}}, %c1{{.*}}, %c256
// CHECK: call @tern.launch.tern_gemv_i2(%{{.*}}, %{{.*}}, %c1{{.*}}, %c256
// CHECK: bufferization.to_tensor
func.func @decode(%x: tensor<1x128xf32>, %g: tensor<128xf32>, %w: tensor<40x32xi8>, %s: tensor<40xf32>) -> tensor<1x40xf32> {
  %n = tern.rms_norm %x, %g : tensor<1x128xf32>, tensor<128xf32> -> tensor<1x128xf32>
  %y = tern.bitlinear %n, %w, %s {layout = #tern.layout<i2, block = 64>, granularity = #tern.scale<per_row>} : tensor<1x128xf32>, tensor<40x32xi8>, tensor<40xf32> -> tensor<1x40xf32>
  return %y : tensor<1x40xf32>
}

// A norm with two users stays a kernel of its own; tokens are dynamic.
// CHECK-LABEL: func.func @prefill
// CHECK: call @tern.launch.tern_rms_norm(
// CHECK: call @tern.launch.tern_quantize(
// CHECK: call @tern.launch.tern_gemm_i2(%{{.*}}, %{{.*}}, %c1{{.*}}, %c128
// CHECK: call @tern.launch.tern_quantize(
// CHECK: call @tern.launch.tern_gemm_i2(
func.func @prefill(%x: tensor<?x128xf32>, %g: tensor<128xf32>, %w: tensor<40x32xi8>, %s: tensor<f32>) -> (tensor<?x40xf32>, tensor<?x40xf32>) {
  %n = tern.rms_norm %x, %g : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
  %a = tern.bitlinear %n, %w, %s {layout = #tern.layout<i2, block = 64>} : tensor<?x128xf32>, tensor<40x32xi8>, tensor<f32> -> tensor<?x40xf32>
  %b = tern.bitlinear %n, %w, %s {layout = #tern.layout<i2, block = 64>} : tensor<?x128xf32>, tensor<40x32xi8>, tensor<f32> -> tensor<?x40xf32>
  return %a, %b : tensor<?x40xf32>, tensor<?x40xf32>
}

// Weights in a layout the kernels do not read are left to
// convert-tern-to-linalg.
// CHECK-LABEL: func.func @other_layout
// CHECK: tern.bitlinear
func.func @other_layout(%x: tensor<1x256xf32>, %w: tensor<8x64xi8>, %s: tensor<f32>) -> tensor<1x8xf32> {
  %y = tern.bitlinear %x, %w, %s {layout = #tern.layout<i2, block = 256>} : tensor<1x256xf32>, tensor<8x64xi8>, tensor<f32> -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// Rotary embedding: the inverse frequencies theta^(-2i/D) are a constant,
// one thread per rotated pair.
// CHECK-LABEL: func.func @rope
// CHECK: arith.constant dense<[1.000000e+00, 1.000000e-01]> : tensor<2xf32>
// CHECK: call @tern.launch.tern_rope(
func.func @rope(%x: tensor<3x2x4xf32>, %p: tensor<3xi64>) -> tensor<3x2x4xf32> {
  %y = tern.rope %x, %p {theta = 100.0 : f32} : tensor<3x2x4xf32>, tensor<3xi64> -> tensor<3x2x4xf32>
  return %y : tensor<3x2x4xf32>
}

// Attention: the caches are updated in place when the tokens fit (else the
// error word is set), then one 128-thread block per head and token attends.
// CHECK-LABEL: func.func @attention
// CHECK: tensor.insert_slice
// CHECK: scf.if
// CHECK: call @tern.launch.tern_attention_d64(%{{.*}}, %{{.*}}, %c1{{.*}}, %c128
// CHECK: linalg.fill
func.func @attention(%q: tensor<1x4x64xf32>, %k: tensor<1x2x64xf32>, %v: tensor<1x2x64xf32>, %kc: tensor<2x16x64xf32>, %vc: tensor<2x16x64xf32>, %p: tensor<i64>) -> (tensor<1x4x64xf32>, tensor<2x16x64xf32>, tensor<2x16x64xf32>) {
  %o, %k2, %v2 = tern.attention %q, %k, %v, %kc, %vc, %p : tensor<1x4x64xf32>, tensor<1x2x64xf32>, tensor<1x2x64xf32>, tensor<2x16x64xf32>, tensor<2x16x64xf32>, tensor<i64> -> tensor<1x4x64xf32>, tensor<2x16x64xf32>, tensor<2x16x64xf32>
  return %o, %k2, %v2 : tensor<1x4x64xf32>, tensor<2x16x64xf32>, tensor<2x16x64xf32>
}


// Group scales (G a multiple of 32): the group-scaled kernels, which take
// the scales' group size and count instead of the row sums.
// CHECK-LABEL: func.func @groups
// CHECK: call @tern.launch.tern_quantize(
// CHECK: call @tern.launch.tern_gemv_i2_g(
func.func @groups(%x: tensor<1x256xf32>, %w: tensor<8x64xi8>, %s: tensor<8x2xf32>) -> tensor<1x8xf32> {
  %y = tern.bitlinear %x, %w, %s {kind = #tern.kind<binary>, layout = #tern.layout<i2, block = 64>, granularity = #tern.scale<group = 128>} : tensor<1x256xf32>, tensor<8x64xi8>, tensor<8x2xf32> -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// A residual add after the layer is fused into the product's epilogue, and
// a norm weight widened from bf16 is read as bf16 by the quantize kernel
// (type code 1): neither is a kernel of its own.
// CHECK-LABEL: func.func @fused
// CHECK: %[[BF16:.*]] = arith.constant 1 : i64
// CHECK: call @tern.launch.tern_quantize({{.*}}, %[[BF16]], %cst
// CHECK: call @tern.launch.tern_gemv_i2(
// CHECK-NOT: linalg.add
// CHECK: return
func.func @fused(%x: tensor<1x128xf32>, %g16: tensor<128xbf16>, %w: tensor<40x32xi8>, %s: tensor<f32>, %r: tensor<1x40xf32>) -> tensor<1x40xf32> {
  %e = tensor.empty() : tensor<128xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%g16 : tensor<128xbf16>) outs(%e : tensor<128xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %f = arith.extf %in : bf16 to f32
    linalg.yield %f : f32
  } -> tensor<128xf32>
  %n = tern.rms_norm %x, %g : tensor<1x128xf32>, tensor<128xf32> -> tensor<1x128xf32>
  %y = tern.bitlinear %n, %w, %s {layout = #tern.layout<i2, block = 64>} : tensor<1x128xf32>, tensor<40x32xi8>, tensor<f32> -> tensor<1x40xf32>
  %e2 = tensor.empty() : tensor<1x40xf32>
  %z = linalg.add ins(%r, %y : tensor<1x40xf32>, tensor<1x40xf32>) outs(%e2 : tensor<1x40xf32>) -> tensor<1x40xf32>
  return %z : tensor<1x40xf32>
}

// quantize -> matmul -> dequantize (an imported graph's layer) is the
// bit-linear layer it spells out.
// CHECK-LABEL: func.func @qdq
// CHECK-NOT: tern.matmul
// CHECK: call @tern.launch.tern_quantize(
// CHECK: call @tern.launch.tern_gemm_i2(
func.func @qdq(%x: tensor<3x64xf32>, %w: tensor<4x16xi8>, %s: tensor<4xf32>) -> tensor<3x4xf32> {
  %q, %xs = tern.quantize %x : tensor<3x64xf32> -> tensor<3x64xi8>, tensor<3xf32>
  %acc = tern.matmul %q, %w {layout = #tern.layout<i2, block = 64>} : tensor<3x64xi8>, tensor<4x16xi8> -> tensor<3x4xi32>
  %y = tern.dequantize %acc, %xs, %s : tensor<3x4xi32>, tensor<3xf32>, tensor<4xf32> -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}
