// Round trip of tern.pack in every layout encoding (i8, i2, b3, i1), with the
// default block, larger blocks and msb order, K not a multiple of the block
// (padded to whole blocks), rank 1 and 3 inputs and dynamic sizes. The packed
// row size is ceil(K / block) * block / values_per_byte.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @i8
// CHECK-SAME: (%[[W:.*]]: tensor<640x2560xi8>)
// CHECK: %[[P:.*]] = tern.pack %[[W]] {layout = #tern.layout<i8>} : tensor<640x2560xi8> -> tensor<640x2560xi8>
// CHECK: return %[[P]]
func.func @i8(%w: tensor<640x2560xi8>) -> tensor<640x2560xi8> {
  %p = tern.pack %w {layout = #tern.layout<i8>} : tensor<640x2560xi8> -> tensor<640x2560xi8>
  return %p : tensor<640x2560xi8>
}

// -----

// i2, 4 values per byte: K = 2560 -> 640 bytes; K = 6 -> 2 bytes (padded to 8).
// CHECK-LABEL: func.func @i2
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2>} : tensor<640x2560xi8> -> tensor<640x640xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2>} : tensor<3x6xi8> -> tensor<3x2xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2, msb>} : tensor<3x6xi8> -> tensor<3x2xi8>
func.func @i2(%w: tensor<640x2560xi8>, %v: tensor<3x6xi8>) -> (tensor<640x640xi8>, tensor<3x2xi8>, tensor<3x2xi8>) {
  %p0 = tern.pack %w {layout = #tern.layout<i2>} : tensor<640x2560xi8> -> tensor<640x640xi8>
  %p1 = tern.pack %v {layout = #tern.layout<i2>} : tensor<3x6xi8> -> tensor<3x2xi8>
  %p2 = tern.pack %v {layout = #tern.layout<i2, msb>} : tensor<3x6xi8> -> tensor<3x2xi8>
  return %p0, %p1, %p2 : tensor<640x640xi8>, tensor<3x2xi8>, tensor<3x2xi8>
}

// -----

// i2 in blocks: block = 256 packs K = 300 into 2 blocks of 64 bytes;
// block = 128, msb (I2_S) packs K = 100 into 1 block of 32 bytes.
// CHECK-LABEL: func.func @i2_blocks
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<640x2560xi8> -> tensor<640x640xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<8x300xi8> -> tensor<8x128xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2, block = 128, msb>} : tensor<640x2560xi8> -> tensor<640x640xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2, block = 128, msb>} : tensor<8x100xi8> -> tensor<8x32xi8>
func.func @i2_blocks(%w: tensor<640x2560xi8>, %a: tensor<8x300xi8>, %b: tensor<8x100xi8>)
    -> (tensor<640x640xi8>, tensor<8x128xi8>, tensor<640x640xi8>, tensor<8x32xi8>) {
  %p0 = tern.pack %w {layout = #tern.layout<i2, block = 256>} : tensor<640x2560xi8> -> tensor<640x640xi8>
  %p1 = tern.pack %a {layout = #tern.layout<i2, block = 256>} : tensor<8x300xi8> -> tensor<8x128xi8>
  %p2 = tern.pack %w {layout = #tern.layout<i2, block = 128, msb>} : tensor<640x2560xi8> -> tensor<640x640xi8>
  %p3 = tern.pack %b {layout = #tern.layout<i2, block = 128, msb>} : tensor<8x100xi8> -> tensor<8x32xi8>
  return %p0, %p1, %p2, %p3 : tensor<640x640xi8>, tensor<8x128xi8>, tensor<640x640xi8>, tensor<8x32xi8>
}

// -----

// b3, 5 trits per byte: K = 13 -> 3 bytes (padded to 15); with block = 160,
// K = 2560 -> 16 blocks of 32 bytes and K = 200 -> 2 blocks of 32 bytes.
// CHECK-LABEL: func.func @b3
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<b3>} : tensor<8x13xi8> -> tensor<8x3xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<b3, block = 160>} : tensor<640x2560xi8> -> tensor<640x512xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<b3, block = 160>} : tensor<4x200xi8> -> tensor<4x64xi8>
func.func @b3(%a: tensor<8x13xi8>, %w: tensor<640x2560xi8>, %b: tensor<4x200xi8>)
    -> (tensor<8x3xi8>, tensor<640x512xi8>, tensor<4x64xi8>) {
  %p0 = tern.pack %a {layout = #tern.layout<b3>} : tensor<8x13xi8> -> tensor<8x3xi8>
  %p1 = tern.pack %w {layout = #tern.layout<b3, block = 160>} : tensor<640x2560xi8> -> tensor<640x512xi8>
  %p2 = tern.pack %b {layout = #tern.layout<b3, block = 160>} : tensor<4x200xi8> -> tensor<4x64xi8>
  return %p0, %p1, %p2 : tensor<8x3xi8>, tensor<640x512xi8>, tensor<4x64xi8>
}

// -----

// i1, 8 signs per byte: K = 13 -> 2 bytes; block = 128 packs K = 130 into
// 2 blocks of 16 bytes.
// CHECK-LABEL: func.func @i1
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i1>} : tensor<640x2560xi8> -> tensor<640x320xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i1>} : tensor<2x13xi8> -> tensor<2x2xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i1, msb>} : tensor<2x13xi8> -> tensor<2x2xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i1, block = 128, msb>} : tensor<2x130xi8> -> tensor<2x32xi8>
func.func @i1(%w: tensor<640x2560xi8>, %a: tensor<2x13xi8>, %b: tensor<2x130xi8>)
    -> (tensor<640x320xi8>, tensor<2x2xi8>, tensor<2x2xi8>, tensor<2x32xi8>) {
  %p0 = tern.pack %w {layout = #tern.layout<i1>} : tensor<640x2560xi8> -> tensor<640x320xi8>
  %p1 = tern.pack %a {layout = #tern.layout<i1, block = 8>} : tensor<2x13xi8> -> tensor<2x2xi8>
  %p2 = tern.pack %a {layout = #tern.layout<i1, msb>} : tensor<2x13xi8> -> tensor<2x2xi8>
  %p3 = tern.pack %b {layout = #tern.layout<i1, block = 128, msb>} : tensor<2x130xi8> -> tensor<2x32xi8>
  return %p0, %p1, %p2, %p3 : tensor<640x320xi8>, tensor<2x2xi8>, tensor<2x2xi8>, tensor<2x32xi8>
}

// -----

// Rank 1 and rank 3: only the last dimension is packed.
// CHECK-LABEL: func.func @ranks
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2>} : tensor<13xi8> -> tensor<4xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<b3>} : tensor<2x3x13xi8> -> tensor<2x3x3xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<4x6x512xi8> -> tensor<4x6x128xi8>
func.func @ranks(%a: tensor<13xi8>, %b: tensor<2x3x13xi8>, %c: tensor<4x6x512xi8>)
    -> (tensor<4xi8>, tensor<2x3x3xi8>, tensor<4x6x128xi8>) {
  %p0 = tern.pack %a {layout = #tern.layout<i2>} : tensor<13xi8> -> tensor<4xi8>
  %p1 = tern.pack %b {layout = #tern.layout<b3>} : tensor<2x3x13xi8> -> tensor<2x3x3xi8>
  %p2 = tern.pack %c {layout = #tern.layout<i2, block = 256>} : tensor<4x6x512xi8> -> tensor<4x6x128xi8>
  return %p0, %p1, %p2 : tensor<4xi8>, tensor<2x3x3xi8>, tensor<4x6x128xi8>
}

// -----

// Dynamic leading dimensions; a dynamic K leaves the packed size dynamic.
// CHECK-LABEL: func.func @dynamic
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<?x2560xi8> -> tensor<?x640xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<b3>} : tensor<?x?x13xi8> -> tensor<?x?x3xi8>
// CHECK: tern.pack %{{.*}} {layout = #tern.layout<i1>} : tensor<4x?xi8> -> tensor<4x?xi8>
func.func @dynamic(%a: tensor<?x2560xi8>, %b: tensor<?x?x13xi8>, %c: tensor<4x?xi8>)
    -> (tensor<?x640xi8>, tensor<?x?x3xi8>, tensor<4x?xi8>) {
  %p0 = tern.pack %a {layout = #tern.layout<i2, block = 256>} : tensor<?x2560xi8> -> tensor<?x640xi8>
  %p1 = tern.pack %b {layout = #tern.layout<b3>} : tensor<?x?x13xi8> -> tensor<?x?x3xi8>
  %p2 = tern.pack %c {layout = #tern.layout<i1>} : tensor<4x?xi8> -> tensor<4x?xi8>
  return %p0, %p1, %p2 : tensor<?x640xi8>, tensor<?x?x3xi8>, tensor<4x?xi8>
}
