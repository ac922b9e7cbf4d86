// Folding a resource-blob weight keeps the result a resource blob, so large
// weights never enter the context's uniqued attribute storage.
// RUN: tern-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @pack_resource
// CHECK: %[[C:.*]] = arith.constant dense_resource<tern_weights> : tensor<1x2xi8>
// CHECK: return %[[C]]
// CHECK: dialect_resources
// CHECK: tern_weights: "0x01000000A451"
func.func @pack_resource() -> tensor<1x2xi8> {
  %w = arith.constant dense_resource<weights> : tensor<1x6xi8>
  %p = tern.pack %w {layout = #tern.layout<i2>} : tensor<1x6xi8> -> tensor<1x2xi8>
  return %p : tensor<1x2xi8>
}

// The blob holds [-1, 0, 1, 1, 0, -1] (alignment 1, then the bytes).
{-#
  dialect_resources: {
    builtin: {
      weights: "0x01000000FF00010100FF"
    }
  }
#-}
