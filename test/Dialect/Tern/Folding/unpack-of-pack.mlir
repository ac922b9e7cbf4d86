// unpack(pack(x, L), L) folds to x for every layout. pack(unpack(p)) does not
// fold: p may hold code 3 or non-zero padding that a round trip normalizes.
// RUN: tern-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @i2_round_trip
// CHECK-SAME: (%[[W:.*]]: tensor<3x10xi8>)
// CHECK-NEXT: return %[[W]]
func.func @i2_round_trip(%w: tensor<3x10xi8>) -> tensor<3x10xi8> {
  %p = tern.pack %w {layout = #tern.layout<i2, block = 8, msb>} : tensor<3x10xi8> -> tensor<3x4xi8>
  %u = tern.unpack %p {layout = #tern.layout<i2, block = 8, msb>} : tensor<3x4xi8> -> tensor<3x10xi8>
  return %u : tensor<3x10xi8>
}

// -----

// CHECK-LABEL: func.func @b3_round_trip
// CHECK-SAME: (%[[W:.*]]: tensor<2x?x13xi8>)
// CHECK-NEXT: return %[[W]]
func.func @b3_round_trip(%w: tensor<2x?x13xi8>) -> tensor<2x?x13xi8> {
  %p = tern.pack %w {layout = #tern.layout<b3>} : tensor<2x?x13xi8> -> tensor<2x?x3xi8>
  %u = tern.unpack %p {layout = #tern.layout<b3>} : tensor<2x?x3xi8> -> tensor<2x?x13xi8>
  return %u : tensor<2x?x13xi8>
}

// -----

// Different layouts: no fold.
// CHECK-LABEL: func.func @layout_mismatch
// CHECK: tern.pack
// CHECK: tern.unpack
func.func @layout_mismatch(%w: tensor<3x8xi8>) -> tensor<3x8xi8> {
  %p = tern.pack %w {layout = #tern.layout<i2>} : tensor<3x8xi8> -> tensor<3x2xi8>
  %u = tern.unpack %p {layout = #tern.layout<i2, msb>} : tensor<3x2xi8> -> tensor<3x8xi8>
  return %u : tensor<3x8xi8>
}

// -----

// CHECK-LABEL: func.func @pack_of_unpack_kept
// CHECK: %[[U:.*]] = tern.unpack
// CHECK: %[[P:.*]] = tern.pack %[[U]]
// CHECK: return %[[P]]
func.func @pack_of_unpack_kept(%p: tensor<3x2xi8>) -> tensor<3x2xi8> {
  %u = tern.unpack %p {layout = #tern.layout<i2>} : tensor<3x2xi8> -> tensor<3x8xi8>
  %q = tern.pack %u {layout = #tern.layout<i2>} : tensor<3x8xi8> -> tensor<3x2xi8>
  return %q : tensor<3x2xi8>
}
