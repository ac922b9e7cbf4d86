// Round trip of tern.matmul: the default (unpacked i8, ternary) weights,
// packed i2/b3 layouts, binary weights in i1, K not a multiple of the block,
// and dynamic M. Default kind and layout are not printed.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @default_layout
// CHECK-SAME: (%[[A:.*]]: tensor<4x2560xi8>, %[[W:.*]]: tensor<640x2560xi8>)
// CHECK: %[[ACC:.*]] = tern.matmul %[[A]], %[[W]] : tensor<4x2560xi8>, tensor<640x2560xi8> -> tensor<4x640xi32>
// CHECK: return %[[ACC]]
func.func @default_layout(%a: tensor<4x2560xi8>, %w: tensor<640x2560xi8>) -> tensor<4x640xi32> {
  %acc = tern.matmul %a, %w : tensor<4x2560xi8>, tensor<640x2560xi8> -> tensor<4x640xi32>
  return %acc : tensor<4x640xi32>
}

// -----

// The defaults spelled out are dropped by the printer.
// CHECK-LABEL: func.func @explicit_defaults
// CHECK: tern.matmul %{{.*}}, %{{.*}} : tensor<1x64xi8>, tensor<32x64xi8> -> tensor<1x32xi32>{{$}}
func.func @explicit_defaults(%a: tensor<1x64xi8>, %w: tensor<32x64xi8>) -> tensor<1x32xi32> {
  %acc = tern.matmul %a, %w {kind = #tern.kind<ternary>, layout = #tern.layout<i8>} : tensor<1x64xi8>, tensor<32x64xi8> -> tensor<1x32xi32>
  return %acc : tensor<1x32xi32>
}

// -----

// CHECK-LABEL: func.func @packed_layouts
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2, block = 128, msb>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<b3, block = 160>} : tensor<1x2560xi8>, tensor<640x512xi8> -> tensor<1x640xi32>
func.func @packed_layouts(%a: tensor<1x2560xi8>, %w2: tensor<640x640xi8>, %w3: tensor<640x512xi8>)
    -> (tensor<1x640xi32>, tensor<1x640xi32>, tensor<1x640xi32>, tensor<1x640xi32>) {
  %0 = tern.matmul %a, %w2 {layout = #tern.layout<i2, block = 256>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
  %1 = tern.matmul %a, %w2 {layout = #tern.layout<i2, block = 128, msb>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
  %2 = tern.matmul %a, %w2 {layout = #tern.layout<i2>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
  %3 = tern.matmul %a, %w3 {layout = #tern.layout<b3, block = 160>} : tensor<1x2560xi8>, tensor<640x512xi8> -> tensor<1x640xi32>
  return %0, %1, %2, %3 : tensor<1x640xi32>, tensor<1x640xi32>, tensor<1x640xi32>, tensor<1x640xi32>
}

// -----

// K = 300 does not fill the last block: i2 block 256 stores 2 * 64 bytes,
// b3 stores ceil(300 / 5) = 60 bytes.
// CHECK-LABEL: func.func @partial_block
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<2x300xi8>, tensor<16x128xi8> -> tensor<2x16xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<b3>} : tensor<2x300xi8>, tensor<16x60xi8> -> tensor<2x16xi32>
func.func @partial_block(%a: tensor<2x300xi8>, %w: tensor<16x128xi8>, %v: tensor<16x60xi8>) -> (tensor<2x16xi32>, tensor<2x16xi32>) {
  %0 = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<2x300xi8>, tensor<16x128xi8> -> tensor<2x16xi32>
  %1 = tern.matmul %a, %v {layout = #tern.layout<b3>} : tensor<2x300xi8>, tensor<16x60xi8> -> tensor<2x16xi32>
  return %0, %1 : tensor<2x16xi32>, tensor<2x16xi32>
}

// -----

// Binary weights: packed one bit each in i1, or kept unpacked, or in i2.
// CHECK-LABEL: func.func @binary
// CHECK: tern.matmul %{{.*}}, %{{.*}} {kind = #tern.kind<binary>, layout = #tern.layout<i1>} : tensor<4x2048xi8>, tensor<512x256xi8> -> tensor<4x512xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {kind = #tern.kind<binary>, layout = #tern.layout<i1, block = 128, msb>} : tensor<4x2048xi8>, tensor<512x256xi8> -> tensor<4x512xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {kind = #tern.kind<binary>} : tensor<4x2048xi8>, tensor<512x2048xi8> -> tensor<4x512xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {kind = #tern.kind<binary>, layout = #tern.layout<i2>} : tensor<4x2048xi8>, tensor<512x512xi8> -> tensor<4x512xi32>
func.func @binary(%a: tensor<4x2048xi8>, %w1: tensor<512x256xi8>, %w8: tensor<512x2048xi8>, %w2: tensor<512x512xi8>)
    -> (tensor<4x512xi32>, tensor<4x512xi32>, tensor<4x512xi32>, tensor<4x512xi32>) {
  %0 = tern.matmul %a, %w1 {kind = #tern.kind<binary>, layout = #tern.layout<i1>} : tensor<4x2048xi8>, tensor<512x256xi8> -> tensor<4x512xi32>
  %1 = tern.matmul %a, %w1 {layout = #tern.layout<i1, block = 128, msb>, kind = #tern.kind<binary>} : tensor<4x2048xi8>, tensor<512x256xi8> -> tensor<4x512xi32>
  %2 = tern.matmul %a, %w8 {kind = #tern.kind<binary>} : tensor<4x2048xi8>, tensor<512x2048xi8> -> tensor<4x512xi32>
  %3 = tern.matmul %a, %w2 {kind = #tern.kind<binary>, layout = #tern.layout<i2>} : tensor<4x2048xi8>, tensor<512x512xi8> -> tensor<4x512xi32>
  return %0, %1, %2, %3 : tensor<4x512xi32>, tensor<4x512xi32>, tensor<4x512xi32>, tensor<4x512xi32>
}

// -----

// Dynamic M (tokens) and dynamic N; a dynamic K skips the packed-size check.
// CHECK-LABEL: func.func @dynamic
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2, block = 256>} : tensor<?x2560xi8>, tensor<640x640xi8> -> tensor<?x640xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2>} : tensor<?x2560xi8>, tensor<?x640xi8> -> tensor<?x?xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<b3>} : tensor<1x?xi8>, tensor<8x7xi8> -> tensor<1x8xi32>
func.func @dynamic(%a: tensor<?x2560xi8>, %w: tensor<640x640xi8>, %wn: tensor<?x640xi8>, %ak: tensor<1x?xi8>, %w3: tensor<8x7xi8>)
    -> (tensor<?x640xi32>, tensor<?x?xi32>, tensor<1x8xi32>) {
  %0 = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x2560xi8>, tensor<640x640xi8> -> tensor<?x640xi32>
  %1 = tern.matmul %a, %wn {layout = #tern.layout<i2>} : tensor<?x2560xi8>, tensor<?x640xi8> -> tensor<?x?xi32>
  %2 = tern.matmul %ak, %w3 {layout = #tern.layout<b3>} : tensor<1x?xi8>, tensor<8x7xi8> -> tensor<1x8xi32>
  return %0, %1, %2 : tensor<?x640xi32>, tensor<?x?xi32>, tensor<1x8xi32>
}
