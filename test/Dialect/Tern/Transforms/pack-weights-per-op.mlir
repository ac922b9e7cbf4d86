// An op's tern.pack_layout attribute (set by ternc --autotune per weight
// shape) overrides the pass's layout for that op, and is removed. Same rows
// as pack-weights-i2.mlir: lsb block 4 -> [[-92, 81], [42, 80], [85, 89]],
// msb block 4 -> [[26, 69], [-88, 5], [85, 101]].
// RUN: tern-opt %s --tern-pack-weights=layout=i2:4 -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @two_layouts
// CHECK-DAG: %[[MSB:.*]] = arith.constant dense<{{\[}}[26, 69], [-88, 5], [85, 101]]> : tensor<3x2xi8>
// CHECK-DAG: %[[LSB:.*]] = arith.constant dense<{{\[}}[-92, 81], [42, 80], [85, 89]]> : tensor<3x2xi8>
// CHECK-DAG: tern.matmul %{{.*}}, %[[MSB]] {layout = #tern.layout<i2, msb>}
// CHECK-DAG: tern.matmul %{{.*}}, %[[LSB]] {layout = #tern.layout<i2>}
// CHECK-NOT: tern.pack_layout
func.func @two_layouts(%a: tensor<2x6xi8>) -> (tensor<2x3xi32>, tensor<2x3xi32>) {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1], [1, 1, 1, -1, -1, -1], [0, 0, 0, 0, 0, 1]]> : tensor<3x6xi8>
  %r = tern.matmul %a, %w {tern.pack_layout = #tern.layout<i2, msb>} : tensor<2x6xi8>, tensor<3x6xi8> -> tensor<2x3xi32>
  %s = tern.matmul %a, %w : tensor<2x6xi8>, tensor<3x6xi8> -> tensor<2x3xi32>
  return %r, %s : tensor<2x3xi32>, tensor<2x3xi32>
}

// -----

func.func @not_a_layout(%a: tensor<2x6xi8>) -> tensor<2x3xi32> {
  %w = arith.constant dense<1> : tensor<3x6xi8>
  // expected-error @+1 {{'tern.pack_layout' must be a #tern.layout, got "i2:4"}}
  %r = tern.matmul %a, %w {tern.pack_layout = "i2:4"} : tensor<2x6xi8>, tensor<3x6xi8> -> tensor<2x3xi32>
  return %r : tensor<2x3xi32>
}
