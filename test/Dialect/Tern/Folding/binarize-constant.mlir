// tern.binarize of a constant: signs (0 -> +1) and mean |w| per group.
// RUN: tern-opt %s -canonicalize | FileCheck %s

// Row 0 groups of 2: {0.5, -1.5} -> 1.0, {0.0, -2.0} -> 1.0;
// row 1: {1, 1} -> 1.0, {-3, 5} -> 4.0.
// CHECK-LABEL: func.func @group
// CHECK-DAG: arith.constant dense<{{\[}}[1, -1, 1, -1], [1, 1, -1, 1]]> : tensor<2x4xi8>
// CHECK-DAG: arith.constant dense<{{\[}}[1.000000e+00, 1.000000e+00], [1.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
func.func @group() -> (tensor<2x4xi8>, tensor<2x2xf32>) {
  %w = arith.constant dense<[[0.5, -1.5, 0.0, -2.0], [1.0, 1.0, -3.0, 5.0]]> : tensor<2x4xf32>
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 2>} : tensor<2x4xf32> -> tensor<2x4xi8>, tensor<2x2xf32>
  return %q, %s : tensor<2x4xi8>, tensor<2x2xf32>
}
