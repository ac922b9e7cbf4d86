// An unpack feeding a matmul/bitlinear with the unpacked layout is absorbed:
// the op reads the packed bytes in the unpack's layout directly.
// RUN: tern-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<?x100xi8>, %[[P:.*]]: tensor<8x64xi8>)
// CHECK-NOT: tern.unpack
// CHECK: tern.matmul %[[A]], %[[P]] {layout = #tern.layout<i2, block = 256>} : tensor<?x100xi8>, tensor<8x64xi8> -> tensor<?x8xi32>
func.func @matmul(%a: tensor<?x100xi8>, %p: tensor<8x64xi8>) -> tensor<?x8xi32> {
  %w = tern.unpack %p {layout = #tern.layout<i2, block = 256>} : tensor<8x64xi8> -> tensor<8x100xi8>
  %r = tern.matmul %a, %w : tensor<?x100xi8>, tensor<8x100xi8> -> tensor<?x8xi32>
  return %r : tensor<?x8xi32>
}

// -----

// CHECK-LABEL: func.func @bitlinear
// CHECK-SAME: (%[[X:.*]]: tensor<1x10xf32>, %[[P:.*]]: tensor<4x2xi8>, %[[S:.*]]: tensor<4x2xf32>)
// CHECK-NOT: tern.unpack
// CHECK: tern.bitlinear %[[X]], %[[P]], %[[S]] {granularity = #tern.scale<group = 8>, kind = #tern.kind<binary>, layout = #tern.layout<i1>}
func.func @bitlinear(%x: tensor<1x10xf32>, %p: tensor<4x2xi8>, %s: tensor<4x2xf32>) -> tensor<1x4xf32> {
  %w = tern.unpack %p {layout = #tern.layout<i1>} : tensor<4x2xi8> -> tensor<4x10xi8>
  %y = tern.bitlinear %x, %w, %s {kind = #tern.kind<binary>, granularity = #tern.scale<group = 8>} : tensor<1x10xf32>, tensor<4x10xi8>, tensor<4x2xf32> -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// Ternary weights cannot take an i1 layout: the unpack stays.
// CHECK-LABEL: func.func @kind_mismatch
// CHECK: %[[W:.*]] = tern.unpack
// CHECK: tern.matmul %{{.*}}, %[[W]] :
func.func @kind_mismatch(%a: tensor<1x8xi8>, %p: tensor<2x1xi8>) -> tensor<1x2xi32> {
  %w = tern.unpack %p {layout = #tern.layout<i1>} : tensor<2x1xi8> -> tensor<2x8xi8>
  %r = tern.matmul %a, %w : tensor<1x8xi8>, tensor<2x8xi8> -> tensor<1x2xi32>
  return %r : tensor<1x2xi32>
}
