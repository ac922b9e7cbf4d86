// tern.linear round-trips with f32, bf16, f16 and scaled int8 weights and dynamic M.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @f32
// CHECK: tern.linear %{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
func.func @f32(%x: tensor<?x64xf32>, %w: tensor<32x64xf32>) -> tensor<?x32xf32> {
  %y = tern.linear %x, %w : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// -----

// CHECK-LABEL: func.func @bf16
// CHECK: tern.linear %{{.*}}, %{{.*}} : tensor<1x2560xf32>, tensor<128256x2560xbf16> -> tensor<1x128256xf32>
func.func @bf16(%x: tensor<1x2560xf32>, %w: tensor<128256x2560xbf16>) -> tensor<1x128256xf32> {
  %y = tern.linear %x, %w : tensor<1x2560xf32>, tensor<128256x2560xbf16> -> tensor<1x128256xf32>
  return %y : tensor<1x128256xf32>
}

// -----

// CHECK-LABEL: func.func @f16
// CHECK: tern.linear %{{.*}}, %{{.*}} : tensor<3x5xf32>, tensor<7x5xf16> -> tensor<3x7xf32>
func.func @f16(%x: tensor<3x5xf32>, %w: tensor<7x5xf16>) -> tensor<3x7xf32> {
  %y = tern.linear %x, %w : tensor<3x5xf32>, tensor<7x5xf16> -> tensor<3x7xf32>
  return %y : tensor<3x7xf32>
}

// -----

// CHECK-LABEL: func.func @int8
// CHECK: tern.linear %{{.*}}, %{{.*}} scale %{{.*}} : tensor<1x64xf32>, tensor<32x64xi8>, tensor<32xf32> -> tensor<1x32xf32>
func.func @int8(%x: tensor<1x64xf32>, %w: tensor<32x64xi8>, %s: tensor<32xf32>) -> tensor<1x32xf32> {
  %y = tern.linear %x, %w scale %s : tensor<1x64xf32>, tensor<32x64xi8>, tensor<32xf32> -> tensor<1x32xf32>
  return %y : tensor<1x32xf32>
}
