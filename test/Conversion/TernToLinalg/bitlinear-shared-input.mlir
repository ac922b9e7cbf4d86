// Bitlinears reading the same activations (q/k/v, gate/up) quantize them
// once: both matmuls consume one quantization, so one absmax/round pass.
// RUN: tern-opt %s --convert-tern-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @qkv
// CHECK-COUNT-1: math.roundeven
// CHECK-NOT:     math.roundeven
// CHECK:         %[[Q:.*]] = tern.matmul %[[A:.*]], %arg1
// CHECK:         tern.matmul %[[A]], %arg2
func.func @qkv(%x: tensor<?x64xf32>, %wq: tensor<8x64xi8>, %wk: tensor<4x64xi8>, %s: tensor<f32>) -> (tensor<?x8xf32>, tensor<?x4xf32>) {
  %q = tern.bitlinear %x, %wq, %s : tensor<?x64xf32>, tensor<8x64xi8>, tensor<f32> -> tensor<?x8xf32>
  %k = tern.bitlinear %x, %wk, %s : tensor<?x64xf32>, tensor<4x64xi8>, tensor<f32> -> tensor<?x4xf32>
  return %q, %k : tensor<?x8xf32>, tensor<?x4xf32>
}
