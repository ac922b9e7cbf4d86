// Weights that are not constants (function arguments, run-time values) are
// left as they are: packing them is the run time's business.
// RUN: tern-opt %s --tern-pack-weights=layout=i2:256 | FileCheck %s

// CHECK-LABEL: func.func @argument
// CHECK-SAME: (%[[A:.*]]: tensor<1x8xi8>, %[[W:.*]]: tensor<2x8xi8>)
// CHECK: tern.matmul %[[A]], %[[W]] : tensor<1x8xi8>, tensor<2x8xi8> -> tensor<1x2xi32>
func.func @argument(%a: tensor<1x8xi8>, %w: tensor<2x8xi8>) -> tensor<1x2xi32> {
  %r = tern.matmul %a, %w : tensor<1x8xi8>, tensor<2x8xi8> -> tensor<1x2xi32>
  return %r : tensor<1x2xi32>
}

// A weight already in the target layout is untouched.
// CHECK-LABEL: func.func @already_packed
// CHECK: %[[W:.*]] = arith.constant dense<85> : tensor<2x64xi8>
// CHECK: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<i2, block = 256>}
func.func @already_packed(%a: tensor<1x8xi8>) -> tensor<1x2xi32> {
  %w = arith.constant dense<85> : tensor<2x64xi8>
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<1x8xi8>, tensor<2x64xi8> -> tensor<1x2xi32>
  return %r : tensor<1x2xi32>
}
