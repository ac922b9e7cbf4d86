// tern.pack to base-3 of a constant. Codes [0, 1, 2, 2, 1] form
// v = 0*81 + 1*27 + 2*9 + 2*3 + 1 = 52, stored as ceil(52 * 256 / 243) = 55.
// The second byte holds code 0 and four padding codes 1: v = 40 -> 43.
// RUN: tern-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @b3
// CHECK: arith.constant dense<{{\[}}[55, 43]]> : tensor<1x2xi8>
func.func @b3() -> tensor<1x2xi8> {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1]]> : tensor<1x6xi8>
  %p = tern.pack %w {layout = #tern.layout<b3>} : tensor<1x6xi8> -> tensor<1x2xi8>
  return %p : tensor<1x2xi8>
}

// -----

// All +1: v = 242 -> (242 * 256 + 242) / 243 = 255 = -1 (i8); all -1: v = 0.
// CHECK-LABEL: func.func @b3_extremes
// CHECK: arith.constant dense<{{\[}}[-1], [0]]> : tensor<2x1xi8>
func.func @b3_extremes() -> tensor<2x1xi8> {
  %w = arith.constant dense<[[1, 1, 1, 1, 1], [-1, -1, -1, -1, -1]]> : tensor<2x5xi8>
  %p = tern.pack %w {layout = #tern.layout<b3>} : tensor<2x5xi8> -> tensor<2x1xi8>
  return %p : tensor<2x1xi8>
}
