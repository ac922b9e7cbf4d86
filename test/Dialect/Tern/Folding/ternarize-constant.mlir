// tern.ternarize of a constant folds with absmean semantics: gamma = mean|w|,
// q = clamp(round_half_even(w / gamma), -1, 1).
// RUN: tern-opt %s -canonicalize -split-input-file | FileCheck %s

// mean|w| = 2.4 / 6 = 0.4; w / 0.4 = [0.5, -1, 2.5, 0, -1.5, 0.5]
//   -> round-even [0, -1, 2, 0, -2, 0] -> clamp [0, -1, 1, 0, -1, 0].
// CHECK-LABEL: func.func @per_tensor
// CHECK-DAG: arith.constant dense<{{\[}}[0, -1, 1], [0, -1, 0]]> : tensor<2x3xi8>
// CHECK-DAG: arith.constant dense<4.000000e-01> : tensor<f32>
// CHECK-NOT: tern.ternarize
func.func @per_tensor() -> (tensor<2x3xi8>, tensor<f32>) {
  %w = arith.constant dense<[[0.2, -0.4, 1.0], [0.0, -0.6, 0.2]]> : tensor<2x3xf32>
  %q, %s = tern.ternarize %w : tensor<2x3xf32> -> tensor<2x3xi8>, tensor<f32>
  return %q, %s : tensor<2x3xi8>, tensor<f32>
}

// -----

// Per row: row 0 has mean 3: [5, 1, -3] / 3 = [1.67, 0.33, -1] -> [1, 0, -1]
// (2 clamps to 1); row 1 is all zero: its scale clamps to epsilon.
// CHECK-LABEL: func.func @per_row
// CHECK-DAG: arith.constant dense<{{\[}}[1, 0, -1], [0, 0, 0]]> : tensor<2x3xi8>
// CHECK-DAG: arith.constant dense<[3.000000e+00, 9.99999974E-6]> : tensor<2xf32>
func.func @per_row() -> (tensor<2x3xi8>, tensor<2xf32>) {
  %w = arith.constant dense<[[5.0, 1.0, -3.0], [0.0, 0.0, 0.0]]> : tensor<2x3xf32>
  %q, %s = tern.ternarize %w {granularity = #tern.scale<per_row>} : tensor<2x3xf32> -> tensor<2x3xi8>, tensor<2xf32>
  return %q, %s : tensor<2x3xi8>, tensor<2xf32>
}

// -----

// Groups of 2 along K = 3: {1, -1} mean 1, {3} mean 3.
// CHECK-LABEL: func.func @group
// CHECK-DAG: arith.constant dense<{{\[}}[1, -1, 1]]> : tensor<1x3xi8>
// CHECK-DAG: arith.constant dense<{{\[}}[1.000000e+00, 3.000000e+00]]> : tensor<1x2xf32>
func.func @group() -> (tensor<1x3xi8>, tensor<1x2xf32>) {
  %w = arith.constant dense<[[1.0, -1.0, 3.0]]> : tensor<1x3xf32>
  %q, %s = tern.ternarize %w {granularity = #tern.scale<group = 2>} : tensor<1x3xf32> -> tensor<1x3xi8>, tensor<1x2xf32>
  return %q, %s : tensor<1x3xi8>, tensor<1x2xf32>
}

// -----

// bf16 weights are read exactly: mean|[0.5, -0.5, 1.5, -1.5]| = 1.
// CHECK-LABEL: func.func @bf16
// CHECK-DAG: arith.constant dense<{{\[}}[0, 0, 1, -1]]> : tensor<1x4xi8>
// CHECK-DAG: arith.constant dense<1.000000e+00> : tensor<f32>
func.func @bf16() -> (tensor<1x4xi8>, tensor<f32>) {
  %w = arith.constant dense<[[0.5, -0.5, 1.5, -1.5]]> : tensor<1x4xbf16>
  %q, %s = tern.ternarize %w : tensor<1x4xbf16> -> tensor<1x4xi8>, tensor<f32>
  return %q, %s : tensor<1x4xi8>, tensor<f32>
}

// -----

// A non-constant input does not fold.
// CHECK-LABEL: func.func @dynamic
// CHECK: tern.ternarize
func.func @dynamic(%w: tensor<2x3xf32>) -> tensor<2x3xi8> {
  %q, %s = tern.ternarize %w : tensor<2x3xf32> -> tensor<2x3xi8>, tensor<f32>
  return %q : tensor<2x3xi8>
}
