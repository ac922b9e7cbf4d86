// The layout option also takes the attribute syntax, quoted inside a pipeline.
// RUN: tern-opt %s --pass-pipeline='builtin.module(tern-pack-weights{layout="#tern.layout<i2, block = 8>"})' | FileCheck %s

// Block 8, lsb: byte 0 holds weights 0, 2, 4, 6 and byte 1 weights 1, 3, 5, 7
// (see pack-constant-i2.mlir): [88, 73].
// CHECK-LABEL: func.func @attr_option
// CHECK: arith.constant dense<{{\[}}[88, 73]]> : tensor<1x2xi8>
// CHECK: layout = #tern.layout<i2, block = 8>
func.func @attr_option(%a: tensor<1x6xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1]]> : tensor<1x6xi8>
  %r = tern.matmul %a, %w : tensor<1x6xi8>, tensor<1x6xi8> -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}
