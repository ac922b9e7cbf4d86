// tern.bitlinear with group-wise weight scales is not expanded by
// convert-tern-to-linalg (the kernels lower it): the pass reports every such op (all of them, not
// only the first) with the granularity in the message, and fails.
// RUN: tern-opt %s --convert-tern-to-linalg -verify-diagnostics
// RUN: not tern-opt %s --convert-tern-to-linalg 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit"

// CHECK: bitlinear-group-error.mlir:[[# @LINE + 3]]:8: error: tern.bitlinear with #tern.scale<group = 64> weight scales is lowered by convert-tern-to-kernels only
func.func @group(%x: tensor<3x200xf32>, %w: tensor<16x200xi8>, %s: tensor<16x4xf32>) -> tensor<3x16xf32> {
  // expected-error @below {{tern.bitlinear with #tern.scale<group = 64> weight scales is lowered by convert-tern-to-kernels only}}
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<group = 64>} : tensor<3x200xf32>, tensor<16x200xi8>, tensor<16x4xf32> -> tensor<3x16xf32>
  return %y : tensor<3x16xf32>
}

// CHECK: bitlinear-group-error.mlir:[[# @LINE + 5]]:8: error: tern.bitlinear with #tern.scale<group = 128> weight scales is lowered by convert-tern-to-kernels only
// A second group-scaled op in the same module is reported too; the
// per-tensor one beside it is not.
func.func @two(%x: tensor<1x2048xf32>, %w: tensor<512x256xi8>, %d: tensor<512x16xf32>, %g: tensor<f32>) -> (tensor<1x512xf32>, tensor<1x512xf32>) {
  // expected-error @below {{tern.bitlinear with #tern.scale<group = 128> weight scales is lowered by convert-tern-to-kernels only}}
  %y = tern.bitlinear %x, %w, %d {kind = #tern.kind<binary>, layout = #tern.layout<i1>, granularity = #tern.scale<group = 128>} : tensor<1x2048xf32>, tensor<512x256xi8>, tensor<512x16xf32> -> tensor<1x512xf32>
  %z = tern.bitlinear %x, %w, %g {kind = #tern.kind<binary>, layout = #tern.layout<i1>} : tensor<1x2048xf32>, tensor<512x256xi8>, tensor<f32> -> tensor<1x512xf32>
  return %y, %z : tensor<1x512xf32>, tensor<1x512xf32>
}
