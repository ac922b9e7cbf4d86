// Round trip of tern.ternarize: every scale granularity, a non-default
// epsilon, f16/bf16 inputs and dynamic sizes. Default attributes
// (granularity = per_tensor, epsilon = 1e-5) are not printed.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[W:.*]]: tensor<64x128xf32>)
// CHECK: %[[Q:.*]], %[[S:.*]] = tern.ternarize %[[W]] : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<f32>
// CHECK: return %[[Q]], %[[S]]
func.func @per_tensor(%w: tensor<64x128xf32>) -> (tensor<64x128xi8>, tensor<f32>) {
  %q, %s = tern.ternarize %w : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<f32>
  return %q, %s : tensor<64x128xi8>, tensor<f32>
}

// -----

// The default granularity spelled out is dropped by the printer.
// CHECK-LABEL: func.func @explicit_defaults
// CHECK: tern.ternarize %{{.*}} : tensor<8x16xf32> -> tensor<8x16xi8>, tensor<f32>{{$}}
func.func @explicit_defaults(%w: tensor<8x16xf32>) -> tensor<8x16xi8> {
  %q, %s = tern.ternarize %w {granularity = #tern.scale<per_tensor>, epsilon = 1.0e-5 : f32} : tensor<8x16xf32> -> tensor<8x16xi8>, tensor<f32>
  return %q : tensor<8x16xi8>
}

// -----

// CHECK-LABEL: func.func @per_row
// CHECK: tern.ternarize %{{.*}} {granularity = #tern.scale<per_row>} : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<64xf32>
func.func @per_row(%w: tensor<64x128xf32>) -> tensor<64xf32> {
  %q, %s = tern.ternarize %w {granularity = #tern.scale<per_row>} : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<64xf32>
  return %s : tensor<64xf32>
}

// -----

// K = 300 with groups of 128 gives ceil(300 / 128) = 3 groups per row.
// CHECK-LABEL: func.func @group
// CHECK: tern.ternarize %{{.*}} {epsilon = 1.000000e-03 : f32, granularity = #tern.scale<group = 128>} : tensor<4x300xf32> -> tensor<4x300xi8>, tensor<4x3xf32>
func.func @group(%w: tensor<4x300xf32>) -> tensor<4x3xf32> {
  %q, %s = tern.ternarize %w {granularity = #tern.scale<group = 128>, epsilon = 1.0e-3 : f32} : tensor<4x300xf32> -> tensor<4x300xi8>, tensor<4x3xf32>
  return %s : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @half_precision
// CHECK: tern.ternarize %{{.*}} : tensor<16x32xf16> -> tensor<16x32xi8>, tensor<f32>
// CHECK: tern.ternarize %{{.*}} {granularity = #tern.scale<per_row>} : tensor<16x32xbf16> -> tensor<16x32xi8>, tensor<16xf32>
func.func @half_precision(%a: tensor<16x32xf16>, %b: tensor<16x32xbf16>) -> (tensor<f32>, tensor<16xf32>) {
  %q0, %s0 = tern.ternarize %a : tensor<16x32xf16> -> tensor<16x32xi8>, tensor<f32>
  %q1, %s1 = tern.ternarize %b {granularity = #tern.scale<per_row>} : tensor<16x32xbf16> -> tensor<16x32xi8>, tensor<16xf32>
  return %s0, %s1 : tensor<f32>, tensor<16xf32>
}

// -----

// A dynamic K makes the group count dynamic; a dynamic N the row count.
// CHECK-LABEL: func.func @dynamic
// CHECK: tern.ternarize %{{.*}} {granularity = #tern.scale<group = 64>} : tensor<8x?xf32> -> tensor<8x?xi8>, tensor<8x?xf32>
// CHECK: tern.ternarize %{{.*}} {granularity = #tern.scale<per_row>} : tensor<?x32xf32> -> tensor<?x32xi8>, tensor<?xf32>
func.func @dynamic(%a: tensor<8x?xf32>, %b: tensor<?x32xf32>) -> (tensor<8x?xf32>, tensor<?xf32>) {
  %q0, %s0 = tern.ternarize %a {granularity = #tern.scale<group = 64>} : tensor<8x?xf32> -> tensor<8x?xi8>, tensor<8x?xf32>
  %q1, %s1 = tern.ternarize %b {granularity = #tern.scale<per_row>} : tensor<?x32xf32> -> tensor<?x32xi8>, tensor<?xf32>
  return %s0, %s1 : tensor<8x?xf32>, tensor<?xf32>
}
