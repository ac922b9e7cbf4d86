// A constant holding a value the layout cannot store is not folded (the
// tern-pack-weights pass reports it); the op stays as it is.
// RUN: tern-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @two_in_i2
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[2, 0, 0, 0]]>
// CHECK: tern.pack %[[W]] {layout = #tern.layout<i2>}
func.func @two_in_i2() -> tensor<1x1xi8> {
  %w = arith.constant dense<[[2, 0, 0, 0]]> : tensor<1x4xi8>
  %p = tern.pack %w {layout = #tern.layout<i2>} : tensor<1x4xi8> -> tensor<1x1xi8>
  return %p : tensor<1x1xi8>
}

// CHECK-LABEL: func.func @zero_in_i1
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i1>}
func.func @zero_in_i1() -> tensor<1x1xi8> {
  %w = arith.constant dense<0> : tensor<1x8xi8>
  %p = tern.pack %w {layout = #tern.layout<i1>} : tensor<1x8xi8> -> tensor<1x1xi8>
  return %p : tensor<1x1xi8>
}
