// Round trip of tern.attention: grouped-query attention (20 query heads over
// 5 key/value heads), multi-head (equal heads), prefill of several tokens,
// i32 and i64 positions, the default scale (absent) and an explicit one, and
// dynamic tokens and capacity.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @gqa_decode
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x20x128xf32>, %[[K:[^:]*]]: tensor<1x5x128xf32>, %[[V:[^:]*]]: tensor<1x5x128xf32>, %[[KC:[^:]*]]: tensor<5x4096x128xf32>, %[[VC:[^:]*]]: tensor<5x4096x128xf32>, %[[P:[^:]*]]: tensor<i64>)
// CHECK: %[[O:.*]], %[[KC2:.*]], %[[VC2:.*]] = tern.attention %[[Q]], %[[K]], %[[V]], %[[KC]], %[[VC]], %[[P]] : tensor<1x20x128xf32>, tensor<1x5x128xf32>, tensor<1x5x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>, tensor<i64> -> tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>
// CHECK: return %[[O]], %[[KC2]], %[[VC2]]
func.func @gqa_decode(%q: tensor<1x20x128xf32>, %k: tensor<1x5x128xf32>, %v: tensor<1x5x128xf32>,
                      %kc: tensor<5x4096x128xf32>, %vc: tensor<5x4096x128xf32>, %p0: tensor<i64>)
    -> (tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>) {
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0
      : tensor<1x20x128xf32>, tensor<1x5x128xf32>, tensor<1x5x128xf32>,
        tensor<5x4096x128xf32>, tensor<5x4096x128xf32>, tensor<i64>
      -> tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>
  return %o, %kc2, %vc2 : tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>
}

// -----

// An explicit scale, i32 position, prefill of 16 tokens.
// CHECK-LABEL: func.func @gqa_prefill_scale
// CHECK: tern.attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale = 1.250000e-01 : f32} : tensor<16x8x64xf32>, tensor<16x2x64xf32>, tensor<16x2x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<i32> -> tensor<16x8x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>
func.func @gqa_prefill_scale(%q: tensor<16x8x64xf32>, %k: tensor<16x2x64xf32>, %v: tensor<16x2x64xf32>,
                             %kc: tensor<2x512x64xf32>, %vc: tensor<2x512x64xf32>, %p0: tensor<i32>) -> tensor<16x8x64xf32> {
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0 {scale = 0.125 : f32}
      : tensor<16x8x64xf32>, tensor<16x2x64xf32>, tensor<16x2x64xf32>,
        tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<i32>
      -> tensor<16x8x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>
  return %o : tensor<16x8x64xf32>
}

// -----

// Multi-head attention (Hq = Hkv) with a cache exactly as large as the tokens.
// CHECK-LABEL: func.func @mha_full_cache
// CHECK: tern.attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<i64> -> tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>
func.func @mha_full_cache(%q: tensor<4x4x32xf32>, %k: tensor<4x4x32xf32>, %v: tensor<4x4x32xf32>,
                          %kc: tensor<4x4x32xf32>, %vc: tensor<4x4x32xf32>, %p0: tensor<i64>) -> tensor<4x4x32xf32> {
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0
      : tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<i64>
      -> tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>
  return %o : tensor<4x4x32xf32>
}

// -----

// Dynamic tokens and capacity.
// CHECK-LABEL: func.func @dynamic
// CHECK: tern.attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale = 0.0883789062 : f32} : tensor<?x20x128xf32>, tensor<?x5x128xf32>, tensor<?x5x128xf32>, tensor<5x?x128xf32>, tensor<5x?x128xf32>, tensor<i64> -> tensor<?x20x128xf32>, tensor<5x?x128xf32>, tensor<5x?x128xf32>
func.func @dynamic(%q: tensor<?x20x128xf32>, %k: tensor<?x5x128xf32>, %v: tensor<?x5x128xf32>,
                   %kc: tensor<5x?x128xf32>, %vc: tensor<5x?x128xf32>, %p0: tensor<i64>) -> tensor<?x20x128xf32> {
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0 {scale = 0.08837890625 : f32}
      : tensor<?x20x128xf32>, tensor<?x5x128xf32>, tensor<?x5x128xf32>, tensor<5x?x128xf32>, tensor<5x?x128xf32>, tensor<i64>
      -> tensor<?x20x128xf32>, tensor<5x?x128xf32>, tensor<5x?x128xf32>
  return %o : tensor<?x20x128xf32>
}
