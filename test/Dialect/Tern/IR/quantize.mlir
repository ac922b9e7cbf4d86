// Round trip of tern.quantize: per-token int8 quantization of rank 1, 2 and 3
// inputs, f16/bf16 inputs, a non-default epsilon and dynamic sizes. The scale
// has the input's shape without its last dimension.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @rank2
// CHECK-SAME: (%[[X:.*]]: tensor<4x2560xf32>)
// CHECK: %[[Q:.*]], %[[S:.*]] = tern.quantize %[[X]] : tensor<4x2560xf32> -> tensor<4x2560xi8>, tensor<4xf32>
// CHECK: return %[[Q]], %[[S]] : tensor<4x2560xi8>, tensor<4xf32>
func.func @rank2(%x: tensor<4x2560xf32>) -> (tensor<4x2560xi8>, tensor<4xf32>) {
  %q, %s = tern.quantize %x : tensor<4x2560xf32> -> tensor<4x2560xi8>, tensor<4xf32>
  return %q, %s : tensor<4x2560xi8>, tensor<4xf32>
}

// -----

// A rank-1 input has a scalar scale.
// CHECK-LABEL: func.func @rank1
// CHECK: tern.quantize %{{.*}} : tensor<2560xf32> -> tensor<2560xi8>, tensor<f32>
func.func @rank1(%x: tensor<2560xf32>) -> tensor<f32> {
  %q, %s = tern.quantize %x : tensor<2560xf32> -> tensor<2560xi8>, tensor<f32>
  return %s : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @rank3_epsilon
// CHECK: tern.quantize %{{.*}} {epsilon = 9.99999997E-7 : f32} : tensor<2x3x64xf32> -> tensor<2x3x64xi8>, tensor<2x3xf32>
func.func @rank3_epsilon(%x: tensor<2x3x64xf32>) -> tensor<2x3xf32> {
  %q, %s = tern.quantize %x {epsilon = 1.0e-6 : f32} : tensor<2x3x64xf32> -> tensor<2x3x64xi8>, tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}

// -----

// The default epsilon spelled out is dropped by the printer.
// CHECK-LABEL: func.func @explicit_default
// CHECK: tern.quantize %{{.*}} : tensor<1x8xf32> -> tensor<1x8xi8>, tensor<1xf32>{{$}}
func.func @explicit_default(%x: tensor<1x8xf32>) -> tensor<1xf32> {
  %q, %s = tern.quantize %x {epsilon = 1.0e-5 : f32} : tensor<1x8xf32> -> tensor<1x8xi8>, tensor<1xf32>
  return %s : tensor<1xf32>
}

// -----

// CHECK-LABEL: func.func @half_precision
// CHECK: tern.quantize %{{.*}} : tensor<4x64xf16> -> tensor<4x64xi8>, tensor<4xf32>
// CHECK: tern.quantize %{{.*}} : tensor<4x64xbf16> -> tensor<4x64xi8>, tensor<4xf32>
func.func @half_precision(%a: tensor<4x64xf16>, %b: tensor<4x64xbf16>) -> (tensor<4xf32>, tensor<4xf32>) {
  %q0, %s0 = tern.quantize %a : tensor<4x64xf16> -> tensor<4x64xi8>, tensor<4xf32>
  %q1, %s1 = tern.quantize %b : tensor<4x64xbf16> -> tensor<4x64xi8>, tensor<4xf32>
  return %s0, %s1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic
// CHECK: tern.quantize %{{.*}} : tensor<?x2560xf32> -> tensor<?x2560xi8>, tensor<?xf32>
func.func @dynamic(%x: tensor<?x2560xf32>) -> tensor<?xf32> {
  %q, %s = tern.quantize %x : tensor<?x2560xf32> -> tensor<?x2560xi8>, tensor<?xf32>
  return %s : tensor<?xf32>
}
