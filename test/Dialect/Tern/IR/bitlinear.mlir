// Round trip of tern.bitlinear: per-tensor, per-row and group weight scales,
// an optional bias, packed layouts, binary i1 weights with Q1_0-style groups
// of 128, a non-default epsilon and dynamic M. Defaults (kind = ternary,
// layout = i8, granularity = per_tensor, epsilon = 1e-5) are not printed.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<1x2560xf32>, %[[W:.*]]: tensor<640x640xi8>, %[[G:.*]]: tensor<f32>)
// CHECK: %[[Y:.*]] = tern.bitlinear %[[X]], %[[W]], %[[G]] {layout = #tern.layout<i2, block = 256>} : tensor<1x2560xf32>, tensor<640x640xi8>, tensor<f32> -> tensor<1x640xf32>
// CHECK: return %[[Y]]
func.func @per_tensor(%x: tensor<1x2560xf32>, %w: tensor<640x640xi8>, %gamma: tensor<f32>) -> tensor<1x640xf32> {
  %y = tern.bitlinear %x, %w, %gamma {layout = #tern.layout<i2, block = 256>} : tensor<1x2560xf32>, tensor<640x640xi8>, tensor<f32> -> tensor<1x640xf32>
  return %y : tensor<1x640xf32>
}

// -----

// Unpacked weights and every default spelled out: nothing but types printed.
// CHECK-LABEL: func.func @defaults
// CHECK: tern.bitlinear %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<2x32xf32>{{$}}
func.func @defaults(%x: tensor<2x64xf32>, %w: tensor<32x64xi8>, %gamma: tensor<f32>) -> tensor<2x32xf32> {
  %y = tern.bitlinear %x, %w, %gamma {kind = #tern.kind<ternary>, layout = #tern.layout<i8>, granularity = #tern.scale<per_tensor>, epsilon = 1.0e-5 : f32} : tensor<2x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<2x32xf32>
  return %y : tensor<2x32xf32>
}

// -----

// CHECK-LABEL: func.func @with_bias
// CHECK-SAME: (%[[X:.*]]: tensor<4x2560xf32>, %[[W:.*]]: tensor<640x640xi8>, %[[G:.*]]: tensor<f32>, %[[B:.*]]: tensor<640xf32>)
// CHECK: tern.bitlinear %[[X]], %[[W]], %[[G]], %[[B]] {layout = #tern.layout<i2>} : tensor<4x2560xf32>, tensor<640x640xi8>, tensor<f32>, tensor<640xf32> -> tensor<4x640xf32>
func.func @with_bias(%x: tensor<4x2560xf32>, %w: tensor<640x640xi8>, %gamma: tensor<f32>, %b: tensor<640xf32>) -> tensor<4x640xf32> {
  %y = tern.bitlinear %x, %w, %gamma, %b {layout = #tern.layout<i2>} : tensor<4x2560xf32>, tensor<640x640xi8>, tensor<f32>, tensor<640xf32> -> tensor<4x640xf32>
  return %y : tensor<4x640xf32>
}

// -----

// CHECK-LABEL: func.func @per_row
// CHECK: tern.bitlinear %{{.*}}, %{{.*}}, %{{.*}} {granularity = #tern.scale<per_row>, layout = #tern.layout<b3, block = 160>} : tensor<1x2560xf32>, tensor<640x512xi8>, tensor<640xf32> -> tensor<1x640xf32>
func.func @per_row(%x: tensor<1x2560xf32>, %w: tensor<640x512xi8>, %s: tensor<640xf32>) -> tensor<1x640xf32> {
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<per_row>, layout = #tern.layout<b3, block = 160>} : tensor<1x2560xf32>, tensor<640x512xi8>, tensor<640xf32> -> tensor<1x640xf32>
  return %y : tensor<1x640xf32>
}

// -----

// Ternary weights with groups of 64 along K = 200: ceil(200 / 64) = 4 groups.
// CHECK-LABEL: func.func @group
// CHECK: tern.bitlinear %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999997E-7 : f32, granularity = #tern.scale<group = 64>} : tensor<3x200xf32>, tensor<16x200xi8>, tensor<16x4xf32>, tensor<16xf32> -> tensor<3x16xf32>
func.func @group(%x: tensor<3x200xf32>, %w: tensor<16x200xi8>, %s: tensor<16x4xf32>, %b: tensor<16xf32>) -> tensor<3x16xf32> {
  %y = tern.bitlinear %x, %w, %s, %b {granularity = #tern.scale<group = 64>, epsilon = 1.0e-6 : f32} : tensor<3x200xf32>, tensor<16x200xi8>, tensor<16x4xf32>, tensor<16xf32> -> tensor<3x16xf32>
  return %y : tensor<3x16xf32>
}

// -----

// Q1_0: binary weights, one bit each, a scale per row and group of 128.
// K = 2048 -> 256 bytes per row and 16 groups.
// CHECK-LABEL: func.func @binary_q1_0
// CHECK: tern.bitlinear %{{.*}}, %{{.*}}, %{{.*}} {granularity = #tern.scale<group = 128>, kind = #tern.kind<binary>, layout = #tern.layout<i1>} : tensor<1x2048xf32>, tensor<512x256xi8>, tensor<512x16xf32> -> tensor<1x512xf32>
func.func @binary_q1_0(%x: tensor<1x2048xf32>, %w: tensor<512x256xi8>, %d: tensor<512x16xf32>) -> tensor<1x512xf32> {
  %y = tern.bitlinear %x, %w, %d {kind = #tern.kind<binary>, layout = #tern.layout<i1>, granularity = #tern.scale<group = 128>} : tensor<1x2048xf32>, tensor<512x256xi8>, tensor<512x16xf32> -> tensor<1x512xf32>
  return %y : tensor<1x512xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic
// CHECK: tern.bitlinear %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {granularity = #tern.scale<per_row>, layout = #tern.layout<i2, block = 128, msb>} : tensor<?x2560xf32>, tensor<640x640xi8>, tensor<640xf32>, tensor<640xf32> -> tensor<?x640xf32>
// CHECK: tern.bitlinear %{{.*}}, %{{.*}}, %{{.*}} {granularity = #tern.scale<group = 128>} : tensor<?x?xf32>, tensor<?x?xi8>, tensor<?x?xf32> -> tensor<?x?xf32>
func.func @dynamic(%x: tensor<?x2560xf32>, %w: tensor<640x640xi8>, %s: tensor<640xf32>, %b: tensor<640xf32>,
                   %x2: tensor<?x?xf32>, %w2: tensor<?x?xi8>, %s2: tensor<?x?xf32>) -> (tensor<?x640xf32>, tensor<?x?xf32>) {
  %y = tern.bitlinear %x, %w, %s, %b {granularity = #tern.scale<per_row>, layout = #tern.layout<i2, block = 128, msb>} : tensor<?x2560xf32>, tensor<640x640xi8>, tensor<640xf32>, tensor<640xf32> -> tensor<?x640xf32>
  %y2 = tern.bitlinear %x2, %w2, %s2 {granularity = #tern.scale<group = 128>} : tensor<?x?xf32>, tensor<?x?xi8>, tensor<?x?xf32> -> tensor<?x?xf32>
  return %y, %y2 : tensor<?x640xf32>, tensor<?x?xf32>
}
