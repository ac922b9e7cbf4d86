// Weights already packed in one layout are decoded and re-encoded in the
// target layout: i2 lsb [-92, 81] is the row [-1, 0, 1, 1, 0, -1], which in
// b3 is [55, 43] and unpacked is the row itself.
// RUN: tern-opt %s --tern-pack-weights=layout=b3 | FileCheck %s --check-prefix=B3
// RUN: tern-opt %s --tern-pack-weights=layout=i8 | FileCheck %s --check-prefix=I8

// B3-LABEL: func.func @repack
// B3: %[[W:.*]] = arith.constant dense<{{\[}}[55, 43]]> : tensor<1x2xi8>
// B3: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<b3>} : tensor<4x6xi8>, tensor<1x2xi8>
// I8-LABEL: func.func @repack
// I8: %[[W:.*]] = arith.constant dense<{{\[}}[-1, 0, 1, 1, 0, -1]]> : tensor<1x6xi8>
// I8: tern.matmul %{{.*}}, %[[W]] : tensor<4x6xi8>, tensor<1x6xi8> -> tensor<4x1xi32>
func.func @repack(%a: tensor<4x6xi8>) -> tensor<4x1xi32> {
  %w = arith.constant dense<[[-92, 81]]> : tensor<1x2xi8>
  %r = tern.matmul %a, %w {layout = #tern.layout<i2>} : tensor<4x6xi8>, tensor<1x2xi8> -> tensor<4x1xi32>
  return %r : tensor<4x1xi32>
}
