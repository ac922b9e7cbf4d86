// Round trip of tern.rms_norm: rank 1, 2 and 3 inputs, a non-default epsilon,
// a zero epsilon (allowed: the verifier only rejects negative ones) and
// dynamic sizes. The default epsilon (1e-5) is not printed.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @rank2
// CHECK-SAME: (%[[X:.*]]: tensor<4x2560xf32>, %[[G:.*]]: tensor<2560xf32>)
// CHECK: %[[Y:.*]] = tern.rms_norm %[[X]], %[[G]] : tensor<4x2560xf32>, tensor<2560xf32> -> tensor<4x2560xf32>
// CHECK: return %[[Y]]
func.func @rank2(%x: tensor<4x2560xf32>, %g: tensor<2560xf32>) -> tensor<4x2560xf32> {
  %y = tern.rms_norm %x, %g : tensor<4x2560xf32>, tensor<2560xf32> -> tensor<4x2560xf32>
  return %y : tensor<4x2560xf32>
}

// -----

// CHECK-LABEL: func.func @epsilons
// CHECK: tern.rms_norm %{{.*}}, %{{.*}} {epsilon = 9.99999997E-7 : f32} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>
// CHECK: tern.rms_norm %{{.*}}, %{{.*}} {epsilon = 0.000000e+00 : f32} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>
// CHECK: tern.rms_norm %{{.*}}, %{{.*}} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>{{$}}
func.func @epsilons(%x: tensor<2560xf32>, %g: tensor<2560xf32>) -> (tensor<2560xf32>, tensor<2560xf32>, tensor<2560xf32>) {
  %0 = tern.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>
  %1 = tern.rms_norm %x, %g {epsilon = 0.0 : f32} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>
  %2 = tern.rms_norm %x, %g {epsilon = 1.0e-5 : f32} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>
  return %0, %1, %2 : tensor<2560xf32>, tensor<2560xf32>, tensor<2560xf32>
}

// -----

// Rank 3 (per-head norm, e.g. QK-norm) and dynamic sizes.
// CHECK-LABEL: func.func @rank3_dynamic
// CHECK: tern.rms_norm %{{.*}}, %{{.*}} : tensor<4x20x128xf32>, tensor<128xf32> -> tensor<4x20x128xf32>
// CHECK: tern.rms_norm %{{.*}}, %{{.*}} : tensor<?x2560xf32>, tensor<2560xf32> -> tensor<?x2560xf32>
// CHECK: tern.rms_norm %{{.*}}, %{{.*}} : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xf32>
func.func @rank3_dynamic(%a: tensor<4x20x128xf32>, %ga: tensor<128xf32>, %b: tensor<?x2560xf32>, %gb: tensor<2560xf32>,
                         %c: tensor<?x?xf32>, %gc: tensor<?xf32>) -> (tensor<4x20x128xf32>, tensor<?x2560xf32>, tensor<?x?xf32>) {
  %0 = tern.rms_norm %a, %ga : tensor<4x20x128xf32>, tensor<128xf32> -> tensor<4x20x128xf32>
  %1 = tern.rms_norm %b, %gb : tensor<?x2560xf32>, tensor<2560xf32> -> tensor<?x2560xf32>
  %2 = tern.rms_norm %c, %gc : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<4x20x128xf32>, tensor<?x2560xf32>, tensor<?x?xf32>
}
