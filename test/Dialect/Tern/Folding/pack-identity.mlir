// Packing and unpacking with the unpacked layout #tern.layout<i8> are
// identities and fold away.
// RUN: tern-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @pack_i8
// CHECK-SAME: (%[[W:.*]]: tensor<4x7xi8>)
// CHECK-NOT: tern.pack
// CHECK: return %[[W]]
func.func @pack_i8(%w: tensor<4x7xi8>) -> tensor<4x7xi8> {
  %p = tern.pack %w {layout = #tern.layout<i8>} : tensor<4x7xi8> -> tensor<4x7xi8>
  return %p : tensor<4x7xi8>
}

// CHECK-LABEL: func.func @unpack_i8
// CHECK-SAME: (%[[P:.*]]: tensor<4x7xi8>)
// CHECK-NOT: tern.unpack
// CHECK: return %[[P]]
func.func @unpack_i8(%p: tensor<4x7xi8>) -> tensor<4x7xi8> {
  %w = tern.unpack %p {layout = #tern.layout<i8>} : tensor<4x7xi8> -> tensor<4x7xi8>
  return %w : tensor<4x7xi8>
}
