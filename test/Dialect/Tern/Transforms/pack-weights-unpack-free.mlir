// Weights that reach the matmul through tern.ternarize / tern.pack /
// tern.unpack of constants are folded first; afterwards the IR holds only the
// packed constant: no tern.unpack, no unpacked copy.
// RUN: tern-opt %s --canonicalize --tern-pack-weights=layout=i2:4 | FileCheck %s

// mean|w| = 0.5 -> trits [[1, -1, 0, 0], [0, 0, 1, 1]] -> codes [2, 0, 1, 1]
// = 0b01010010 = 82 and [1, 1, 2, 2] = 0b10100101 = 165 = -91.
// CHECK-LABEL: func.func @chain
// CHECK-NOT: tern.unpack
// CHECK-NOT: tern.pack
// CHECK-NOT: tern.ternarize
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[82], [-91]]> : tensor<2x1xi8>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// CHECK: tern.bitlinear %{{.*}}, %[[W]], %[[S]] {layout = #tern.layout<i2>}
// CHECK-NOT: tern.unpack
func.func @chain(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %f = arith.constant dense<[[1.0, -1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]> : tensor<2x4xf32>
  %t, %s = tern.ternarize %f : tensor<2x4xf32> -> tensor<2x4xi8>, tensor<f32>
  %p = tern.pack %t {layout = #tern.layout<b3>} : tensor<2x4xi8> -> tensor<2x1xi8>
  %u = tern.unpack %p {layout = #tern.layout<b3>} : tensor<2x1xi8> -> tensor<2x4xi8>
  %y = tern.bitlinear %x, %u, %s : tensor<1x4xf32>, tensor<2x4xi8>, tensor<f32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// Without a separate canonicalize the pass folds the pack/unpack chain of a
// constant itself.
// CHECK-LABEL: func.func @unpack_of_constant
// CHECK-NOT: tern.unpack
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[-92, 81]]> : tensor<1x2xi8>
// CHECK: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<i2>}
func.func @unpack_of_constant(%a: tensor<1x6xi8>) -> tensor<1x1xi32> {
  %p = arith.constant dense<[[55, 43]]> : tensor<1x2xi8>
  %u = tern.unpack %p {layout = #tern.layout<b3>} : tensor<1x2xi8> -> tensor<1x6xi8>
  %r = tern.matmul %a, %u : tensor<1x6xi8>, tensor<1x6xi8> -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}
