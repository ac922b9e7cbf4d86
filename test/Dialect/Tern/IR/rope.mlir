// Round trip of tern.rope: half (default, not printed) and interleaved
// styles, i32 and i64 positions, a non-default theta and dynamic sizes.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @half_i64
// CHECK-SAME: (%[[Q:.*]]: tensor<4x20x128xf32>, %[[P:.*]]: tensor<4xi64>)
// CHECK: %[[Y:.*]] = tern.rope %[[Q]], %[[P]] {theta = 5.000000e+05 : f32} : tensor<4x20x128xf32>, tensor<4xi64> -> tensor<4x20x128xf32>
// CHECK: return %[[Y]]
func.func @half_i64(%q: tensor<4x20x128xf32>, %pos: tensor<4xi64>) -> tensor<4x20x128xf32> {
  %y = tern.rope %q, %pos {theta = 500000.0 : f32} : tensor<4x20x128xf32>, tensor<4xi64> -> tensor<4x20x128xf32>
  return %y : tensor<4x20x128xf32>
}

// -----

// The defaults (theta = 10000, style = half) spelled out are dropped.
// CHECK-LABEL: func.func @defaults_i32
// CHECK: tern.rope %{{.*}}, %{{.*}} : tensor<1x8x64xf32>, tensor<1xi32> -> tensor<1x8x64xf32>{{$}}
func.func @defaults_i32(%q: tensor<1x8x64xf32>, %pos: tensor<1xi32>) -> tensor<1x8x64xf32> {
  %y = tern.rope %q, %pos {theta = 10000.0 : f32, style = #tern.rope_style<half>} : tensor<1x8x64xf32>, tensor<1xi32> -> tensor<1x8x64xf32>
  return %y : tensor<1x8x64xf32>
}

// -----

// CHECK-LABEL: func.func @interleaved
// CHECK: tern.rope %{{.*}}, %{{.*}} {style = #tern.rope_style<interleaved>} : tensor<4x20x128xf32>, tensor<4xi32> -> tensor<4x20x128xf32>
// CHECK: tern.rope %{{.*}}, %{{.*}} {style = #tern.rope_style<interleaved>, theta = 5.000000e+05 : f32} : tensor<4x20x128xf32>, tensor<4xi64> -> tensor<4x20x128xf32>
func.func @interleaved(%q: tensor<4x20x128xf32>, %p32: tensor<4xi32>, %p64: tensor<4xi64>) -> (tensor<4x20x128xf32>, tensor<4x20x128xf32>) {
  %0 = tern.rope %q, %p32 {style = #tern.rope_style<interleaved>} : tensor<4x20x128xf32>, tensor<4xi32> -> tensor<4x20x128xf32>
  %1 = tern.rope %q, %p64 {theta = 500000.0 : f32, style = #tern.rope_style<interleaved>} : tensor<4x20x128xf32>, tensor<4xi64> -> tensor<4x20x128xf32>
  return %0, %1 : tensor<4x20x128xf32>, tensor<4x20x128xf32>
}

// -----

// Dynamic tokens, heads and head_dim (the even-head-dim check needs it static).
// CHECK-LABEL: func.func @dynamic
// CHECK: tern.rope %{{.*}}, %{{.*}} : tensor<?x20x128xf32>, tensor<?xi64> -> tensor<?x20x128xf32>
// CHECK: tern.rope %{{.*}}, %{{.*}} {style = #tern.rope_style<interleaved>} : tensor<?x?x?xf32>, tensor<?xi32> -> tensor<?x?x?xf32>
func.func @dynamic(%a: tensor<?x20x128xf32>, %pa: tensor<?xi64>, %b: tensor<?x?x?xf32>, %pb: tensor<?xi32>)
    -> (tensor<?x20x128xf32>, tensor<?x?x?xf32>) {
  %0 = tern.rope %a, %pa : tensor<?x20x128xf32>, tensor<?xi64> -> tensor<?x20x128xf32>
  %1 = tern.rope %b, %pb {style = #tern.rope_style<interleaved>} : tensor<?x?x?xf32>, tensor<?xi32> -> tensor<?x?x?xf32>
  return %0, %1 : tensor<?x20x128xf32>, tensor<?x?x?xf32>
}
