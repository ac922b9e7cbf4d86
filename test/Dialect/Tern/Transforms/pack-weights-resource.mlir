// Resource-blob weights (how importers hand over large weights) are packed
// into new resource blobs, never into inline dense attributes.
// RUN: tern-opt %s --tern-pack-weights=layout=i2:4 | FileCheck %s

// CHECK-LABEL: func.func @resource
// CHECK: %[[W:.*]] = arith.constant dense_resource<tern_weights> : tensor<1x2xi8>
// CHECK: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<i2>}
// CHECK: tern_weights: "0x01000000A451"
func.func @resource(%a: tensor<1x6xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense_resource<weights> : tensor<1x6xi8>
  %r = tern.matmul %a, %w : tensor<1x6xi8>, tensor<1x6xi8> -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x01000000FF00010100FF"
    }
  }
#-}
