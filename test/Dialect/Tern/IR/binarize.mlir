// Round trip of tern.binarize: every scale granularity (including a short
// last group), f16 input and dynamic sizes. The default granularity
// (per_tensor) is not printed.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[W:.*]]: tensor<64x128xf32>)
// CHECK: %[[Q:.*]], %[[S:.*]] = tern.binarize %[[W]] : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<f32>
// CHECK: return %[[Q]], %[[S]] : tensor<64x128xi8>, tensor<f32>
func.func @per_tensor(%w: tensor<64x128xf32>) -> (tensor<64x128xi8>, tensor<f32>) {
  %q, %s = tern.binarize %w : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<f32>
  return %q, %s : tensor<64x128xi8>, tensor<f32>
}

// -----

// The default granularity spelled out is dropped by the printer.
// CHECK-LABEL: func.func @explicit_default
// CHECK: tern.binarize %{{.*}} : tensor<2x8xf32> -> tensor<2x8xi8>, tensor<f32>{{$}}
func.func @explicit_default(%w: tensor<2x8xf32>) -> tensor<f32> {
  %q, %s = tern.binarize %w {granularity = #tern.scale<per_tensor>} : tensor<2x8xf32> -> tensor<2x8xi8>, tensor<f32>
  return %s : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @per_row
// CHECK: tern.binarize %{{.*}} {granularity = #tern.scale<per_row>} : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<64xf32>
func.func @per_row(%w: tensor<64x128xf32>) -> tensor<64xf32> {
  %q, %s = tern.binarize %w {granularity = #tern.scale<per_row>} : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<64xf32>
  return %s : tensor<64xf32>
}

// -----

// Q1_0-style groups of 128: K = 256 is 2 groups, K = 129 is 2 (the last short).
// CHECK-LABEL: func.func @group
// CHECK: tern.binarize %{{.*}} {granularity = #tern.scale<group = 128>} : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<64x2xf32>
// CHECK: tern.binarize %{{.*}} {granularity = #tern.scale<group = 128>} : tensor<3x129xf16> -> tensor<3x129xi8>, tensor<3x2xf32>
func.func @group(%a: tensor<64x256xf32>, %b: tensor<3x129xf16>) -> (tensor<64x2xf32>, tensor<3x2xf32>) {
  %q0, %s0 = tern.binarize %a {granularity = #tern.scale<group = 128>} : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<64x2xf32>
  %q1, %s1 = tern.binarize %b {granularity = #tern.scale<group = 128>} : tensor<3x129xf16> -> tensor<3x129xi8>, tensor<3x2xf32>
  return %s0, %s1 : tensor<64x2xf32>, tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic
// CHECK: tern.binarize %{{.*}} {granularity = #tern.scale<group = 32>} : tensor<?x?xbf16> -> tensor<?x?xi8>, tensor<?x?xf32>
func.func @dynamic(%w: tensor<?x?xbf16>) -> tensor<?x?xf32> {
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 32>} : tensor<?x?xbf16> -> tensor<?x?xi8>, tensor<?x?xf32>
  return %s : tensor<?x?xf32>
}
