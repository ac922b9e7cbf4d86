// tern-pack-weights anchors on any op: nested on func.func in a pipeline it
// packs each function's weights independently.
// RUN: tern-opt %s --pass-pipeline='builtin.module(func.func(tern-pack-weights{layout=i2:4:msb}))' | FileCheck %s

// [-1, 0, 1, 1] -> codes [0, 1, 2, 2] -> msb 0b00011010 = 26.
// CHECK-LABEL: func.func @first
// CHECK: arith.constant dense<26> : tensor<1x1xi8>
// CHECK: layout = #tern.layout<i2, msb>
func.func @first(%a: tensor<1x4xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[-1, 0, 1, 1]]> : tensor<1x4xi8>
  %r = tern.matmul %a, %w : tensor<1x4xi8>, tensor<1x4xi8> -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}

// [1, 1, 1, 1] -> codes all 2 -> 0b10101010 = 170 = -86.
// CHECK-LABEL: func.func @second
// CHECK: arith.constant dense<-86> : tensor<2x1xi8>
func.func @second(%a: tensor<3x4xi8>) -> tensor<3x2xi32> {
  %w = arith.constant dense<1> : tensor<2x4xi8>
  %r = tern.matmul %a, %w : tensor<3x4xi8>, tensor<2x4xi8> -> tensor<3x2xi32>
  return %r : tensor<3x2xi32>
}
