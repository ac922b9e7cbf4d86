// tern-pack-weights into base-3 (5 trits a byte, TQ1_0's encoding).
// Row [-1, 0, 1, 1, 0, -1, 1]: codes [0, 1, 2, 2, 1] -> v = 52 -> 55;
// [0, 2, pad 1, pad 1, pad 1] -> v = 0*81 + 2*27 + 9 + 3 + 1 = 67 -> 71.
// RUN: tern-opt %s --tern-pack-weights=layout=b3 | FileCheck %s

// CHECK-LABEL: func.func @bitlinear
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[55, 71]]> : tensor<1x2xi8>
// CHECK: tern.bitlinear %{{.*}}, %[[W]], %{{.*}} {layout = #tern.layout<b3>} : tensor<3x7xf32>, tensor<1x2xi8>, tensor<f32> -> tensor<3x1xf32>
func.func @bitlinear(%x: tensor<3x7xf32>, %s: tensor<f32>) -> tensor<3x1xf32> {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1, 1]]> : tensor<1x7xi8>
  %y = tern.bitlinear %x, %w, %s : tensor<3x7xf32>, tensor<1x7xi8>, tensor<f32> -> tensor<3x1xf32>
  return %y : tensor<3x1xf32>
}
