// Round trip of tern.unpack, the inverse of tern.pack: every encoding, blocks,
// msb order, a logical K that is not a multiple of the block, rank 1 and 3
// and dynamic sizes. The result's last dimension is the logical K.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @i8
// CHECK-SAME: (%[[P:.*]]: tensor<4x16xi8>)
// CHECK: %[[W:.*]] = tern.unpack %[[P]] {layout = #tern.layout<i8>} : tensor<4x16xi8> -> tensor<4x16xi8>
// CHECK: return %[[W]]
func.func @i8(%p: tensor<4x16xi8>) -> tensor<4x16xi8> {
  %w = tern.unpack %p {layout = #tern.layout<i8>} : tensor<4x16xi8> -> tensor<4x16xi8>
  return %w : tensor<4x16xi8>
}

// -----

// CHECK-LABEL: func.func @i2
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i2>} : tensor<640x640xi8> -> tensor<640x2560xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i2, msb>} : tensor<3x2xi8> -> tensor<3x6xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<8x128xi8> -> tensor<8x300xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i2, block = 128, msb>} : tensor<8x32xi8> -> tensor<8x100xi8>
func.func @i2(%a: tensor<640x640xi8>, %b: tensor<3x2xi8>, %c: tensor<8x128xi8>, %d: tensor<8x32xi8>)
    -> (tensor<640x2560xi8>, tensor<3x6xi8>, tensor<8x300xi8>, tensor<8x100xi8>) {
  %w0 = tern.unpack %a {layout = #tern.layout<i2>} : tensor<640x640xi8> -> tensor<640x2560xi8>
  %w1 = tern.unpack %b {layout = #tern.layout<i2, msb>} : tensor<3x2xi8> -> tensor<3x6xi8>
  %w2 = tern.unpack %c {layout = #tern.layout<i2, block = 256>} : tensor<8x128xi8> -> tensor<8x300xi8>
  %w3 = tern.unpack %d {layout = #tern.layout<i2, block = 128, msb>} : tensor<8x32xi8> -> tensor<8x100xi8>
  return %w0, %w1, %w2, %w3 : tensor<640x2560xi8>, tensor<3x6xi8>, tensor<8x300xi8>, tensor<8x100xi8>
}

// -----

// CHECK-LABEL: func.func @b3
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<b3>} : tensor<8x3xi8> -> tensor<8x13xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<b3, block = 160>} : tensor<4x64xi8> -> tensor<4x200xi8>
func.func @b3(%a: tensor<8x3xi8>, %b: tensor<4x64xi8>) -> (tensor<8x13xi8>, tensor<4x200xi8>) {
  %w0 = tern.unpack %a {layout = #tern.layout<b3, block = 5>} : tensor<8x3xi8> -> tensor<8x13xi8>
  %w1 = tern.unpack %b {layout = #tern.layout<b3, block = 160>} : tensor<4x64xi8> -> tensor<4x200xi8>
  return %w0, %w1 : tensor<8x13xi8>, tensor<4x200xi8>
}

// -----

// CHECK-LABEL: func.func @i1
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i1>} : tensor<2x2xi8> -> tensor<2x13xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i1, msb>} : tensor<2x2xi8> -> tensor<2x16xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i1, block = 128>} : tensor<2x32xi8> -> tensor<2x130xi8>
func.func @i1(%a: tensor<2x2xi8>, %b: tensor<2x32xi8>) -> (tensor<2x13xi8>, tensor<2x16xi8>, tensor<2x130xi8>) {
  %w0 = tern.unpack %a {layout = #tern.layout<i1>} : tensor<2x2xi8> -> tensor<2x13xi8>
  %w1 = tern.unpack %a {layout = #tern.layout<i1, msb>} : tensor<2x2xi8> -> tensor<2x16xi8>
  %w2 = tern.unpack %b {layout = #tern.layout<i1, block = 128>} : tensor<2x32xi8> -> tensor<2x130xi8>
  return %w0, %w1, %w2 : tensor<2x13xi8>, tensor<2x16xi8>, tensor<2x130xi8>
}

// -----

// CHECK-LABEL: func.func @ranks_and_dynamic
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i2>} : tensor<4xi8> -> tensor<13xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<b3>} : tensor<2x3x3xi8> -> tensor<2x3x13xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<?x640xi8> -> tensor<?x2560xi8>
// CHECK: tern.unpack %{{.*}} {layout = #tern.layout<i1>} : tensor<4x?xi8> -> tensor<4x?xi8>
func.func @ranks_and_dynamic(%a: tensor<4xi8>, %b: tensor<2x3x3xi8>, %c: tensor<?x640xi8>, %d: tensor<4x?xi8>)
    -> (tensor<13xi8>, tensor<2x3x13xi8>, tensor<?x2560xi8>, tensor<4x?xi8>) {
  %w0 = tern.unpack %a {layout = #tern.layout<i2>} : tensor<4xi8> -> tensor<13xi8>
  %w1 = tern.unpack %b {layout = #tern.layout<b3>} : tensor<2x3x3xi8> -> tensor<2x3x13xi8>
  %w2 = tern.unpack %c {layout = #tern.layout<i2, block = 256>} : tensor<?x640xi8> -> tensor<?x2560xi8>
  %w3 = tern.unpack %d {layout = #tern.layout<i1>} : tensor<4x?xi8> -> tensor<4x?xi8>
  return %w0, %w1, %w2, %w3 : tensor<13xi8>, tensor<2x3x13xi8>, tensor<?x2560xi8>, tensor<4x?xi8>
}
