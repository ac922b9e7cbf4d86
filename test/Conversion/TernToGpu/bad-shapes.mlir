// Shapes the CUDA kernels do not take are errors naming the op: a head
// dimension that is not a multiple of 32, scale groups of 16 weights, an
// integer matmul that is not part of a bit-linear layer.
// RUN: not tern-opt %s --convert-tern-to-gpu --split-input-file 2>&1 | FileCheck %s
// CHECK: error: 'tern.attention' op has heads of 40 elements; the CUDA attention kernel takes a static multiple of 32 up to 256
func.func @attention(%q: tensor<1x4x40xf32>, %k: tensor<1x2x40xf32>, %v: tensor<1x2x40xf32>, %kc: tensor<2x16x40xf32>, %vc: tensor<2x16x40xf32>, %p: tensor<i64>) -> (tensor<1x4x40xf32>, tensor<2x16x40xf32>, tensor<2x16x40xf32>) {
  %o, %k2, %v2 = tern.attention %q, %k, %v, %kc, %vc, %p : tensor<1x4x40xf32>, tensor<1x2x40xf32>, tensor<1x2x40xf32>, tensor<2x16x40xf32>, tensor<2x16x40xf32>, tensor<i64> -> tensor<1x4x40xf32>, tensor<2x16x40xf32>, tensor<2x16x40xf32>
  return %o, %k2, %v2 : tensor<1x4x40xf32>, tensor<2x16x40xf32>, tensor<2x16x40xf32>
}

// -----

// CHECK: error: 'tern.bitlinear' op has scale groups of 16 weights; the CUDA kernels take a multiple of 32 with static [N, groups] scales
func.func @groups(%x: tensor<1x64xf32>, %w: tensor<8x16xi8>, %s: tensor<8x4xf32>) -> tensor<1x8xf32> {
  %y = tern.bitlinear %x, %w, %s {layout = #tern.layout<i2, block = 64>, granularity = #tern.scale<group = 16>} : tensor<1x64xf32>, tensor<8x16xi8>, tensor<8x4xf32> -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// An integer matmul whose sums are the result: the CUDA kernels write f32.
// CHECK: error: 'tern.matmul' op on CUDA must be a bit-linear layer: the tern.quantize of f32 activations, this matmul, and a tern.dequantize by the quantize's scale and a weight scale
func.func @matmul(%q: tensor<3x64xi8>, %w: tensor<4x16xi8>) -> tensor<3x4xi32> {
  %acc = tern.matmul %q, %w {layout = #tern.layout<i2, block = 64>} : tensor<3x64xi8>, tensor<4x16xi8> -> tensor<3x4xi32>
  return %acc : tensor<3x4xi32>
}
