// A head dimension the CUDA attention kernel does not take is an error
// naming it.
// RUN: not tern-opt %s --convert-tern-to-gpu 2>&1 | FileCheck %s
// CHECK: error: 'tern.attention' op has heads of 40 elements; the CUDA attention kernel takes a static multiple of 32 up to 256
func.func @attention(%q: tensor<1x4x40xf32>, %k: tensor<1x2x40xf32>, %v: tensor<1x2x40xf32>, %kc: tensor<2x16x40xf32>, %vc: tensor<2x16x40xf32>, %p: tensor<i64>) -> (tensor<1x4x40xf32>, tensor<2x16x40xf32>, tensor<2x16x40xf32>) {
  %o, %k2, %v2 = tern.attention %q, %k, %v, %kc, %vc, %p : tensor<1x4x40xf32>, tensor<1x2x40xf32>, tensor<1x2x40xf32>, tensor<2x16x40xf32>, tensor<2x16x40xf32>, tensor<i64> -> tensor<1x4x40xf32>, tensor<2x16x40xf32>, tensor<2x16x40xf32>
  return %o, %k2, %v2 : tensor<1x4x40xf32>, tensor<2x16x40xf32>, tensor<2x16x40xf32>
}
