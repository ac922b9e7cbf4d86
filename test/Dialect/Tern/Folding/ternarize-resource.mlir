// Ternarizing a resource-blob weight folds into a resource blob of trits (the
// weight never becomes an inline attribute) and an inline scalar scale.
// RUN: tern-opt %s -canonicalize | FileCheck %s

// The blob holds f32 [1.0, -1.0, 0.25, 0.0]: mean |w| = 0.5625;
// w / 0.5625 = [1.78, -1.78, 0.44, 0] -> trits [1, -1, 0, 0] = bytes 01 FF 00 00.
// CHECK-LABEL: func.func @resource
// CHECK-DAG: arith.constant dense_resource<tern_weights> : tensor<1x4xi8>
// CHECK-DAG: arith.constant dense<5.625000e-01> : tensor<f32>
// CHECK: tern_weights: "0x0100000001FF0000"
func.func @resource() -> (tensor<1x4xi8>, tensor<f32>) {
  %w = arith.constant dense_resource<w> : tensor<1x4xf32>
  %q, %s = tern.ternarize %w : tensor<1x4xf32> -> tensor<1x4xi8>, tensor<f32>
  return %q, %s : tensor<1x4xi8>, tensor<f32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000080BF0000803E00000000"
    }
  }
#-}
