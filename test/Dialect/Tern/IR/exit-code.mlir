// A verifier error makes tern-opt report the diagnostic and exit with a
// non-zero status (checked by `not`) instead of crashing or printing IR.
// RUN: not tern-opt %s 2>&1 | FileCheck %s

// CHECK: exit-code.mlir:[[@LINE+6]]:{{[0-9]+}}: error: 'tern.matmul' op K dimensions disagree: the activations have K = 2560 but the weight rows have 640
// CHECK-NEXT: %acc = tern.matmul
// CHECK-NOT: func.func
// CHECK-NOT: PLEASE submit a bug report
// CHECK-NOT: Stack dump
func.func @k_mismatch(%a: tensor<4x2560xi8>, %w: tensor<640x640xi8>) -> tensor<4x640xi32> {
  %acc = tern.matmul %a, %w : tensor<4x2560xi8>, tensor<640x640xi8> -> tensor<4x640xi32>
  return %acc : tensor<4x640xi32>
}
