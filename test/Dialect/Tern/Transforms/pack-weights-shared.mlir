// A constant used by two ops is packed for each and the unpacked original is
// gone once unused.
// RUN: tern-opt %s --tern-pack-weights=layout=i2:4 | FileCheck %s

// CHECK-LABEL: func.func @shared
// CHECK-NOT: tensor<1x4xi8> =
// CHECK-DAG: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2>} : tensor<1x4xi8>, tensor<1x1xi8>
// CHECK-DAG: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2>} : tensor<2x4xi8>, tensor<1x1xi8>
// CHECK-NOT: dense<{{\[}}[1, 1, -1, 0]]>
func.func @shared(%a: tensor<1x4xi8>, %b: tensor<2x4xi8>) -> (tensor<1x1xi32>, tensor<2x1xi32>) {
  %w = arith.constant dense<[[1, 1, -1, 0]]> : tensor<1x4xi8>
  %r = tern.matmul %a, %w : tensor<1x4xi8>, tensor<1x4xi8> -> tensor<1x1xi32>
  %s = tern.matmul %b, %w : tensor<2x4xi8>, tensor<1x4xi8> -> tensor<2x1xi32>
  return %r, %s : tensor<1x1xi32>, tensor<2x1xi32>
}
