// tern.pack of a constant folds to the packed bytes. Row [-1, 0, 1, 1, 0, -1]
// has codes [0, 1, 2, 2, 1, 0]; K = 6 pads to 8 with code 1.
// RUN: tern-opt %s -canonicalize -split-input-file | FileCheck %s

// lsb, block 4: byte = c0 | c1 << 2 | c2 << 4 | c3 << 6.
//   [0, 1, 2, 2] -> 0b10100100 = 164 = -92 (i8); [1, 0, 1, 1] -> 0b01010001 = 81.
// CHECK-LABEL: func.func @i2_lsb
// CHECK: arith.constant dense<{{\[}}[-92, 81], [85, 85]]> : tensor<2x2xi8>
// CHECK-NOT: tern.pack
func.func @i2_lsb() -> tensor<2x2xi8> {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1], [0, 0, 0, 0, 0, 0]]> : tensor<2x6xi8>
  %p = tern.pack %w {layout = #tern.layout<i2>} : tensor<2x6xi8> -> tensor<2x2xi8>
  return %p : tensor<2x2xi8>
}

// -----

// msb, block 4: byte = c0 << 6 | c1 << 4 | c2 << 2 | c3.
//   [0, 1, 2, 2] -> 0b00011010 = 26; [1, 0, 1, 1] -> 0b01000101 = 69.
// CHECK-LABEL: func.func @i2_msb
// CHECK: arith.constant dense<{{\[}}[26, 69]]> : tensor<1x2xi8>
func.func @i2_msb() -> tensor<1x2xi8> {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1]]> : tensor<1x6xi8>
  %p = tern.pack %w {layout = #tern.layout<i2, msb>} : tensor<1x6xi8> -> tensor<1x2xi8>
  return %p : tensor<1x2xi8>
}

// -----

// lsb, block 8 (S = 2): byte 0 holds weights 0, 2, 4, 6 (codes 0, 2, 1, pad 1)
// = 0b01011000 = 88; byte 1 holds weights 1, 3, 5, 7 (codes 1, 2, 0, pad 1)
// = 0b01001001 = 73.
// CHECK-LABEL: func.func @i2_block8
// CHECK: arith.constant dense<{{\[}}[88, 73]]> : tensor<1x2xi8>
func.func @i2_block8() -> tensor<1x2xi8> {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1]]> : tensor<1x6xi8>
  %p = tern.pack %w {layout = #tern.layout<i2, block = 8>} : tensor<1x6xi8> -> tensor<1x2xi8>
  return %p : tensor<1x2xi8>
}

// -----

// A splat constant: all +1 -> code 2 everywhere = 0b10101010 = 170 = -86.
// CHECK-LABEL: func.func @splat
// CHECK: arith.constant dense<-86> : tensor<2x1xi8>
func.func @splat() -> tensor<2x1xi8> {
  %w = arith.constant dense<1> : tensor<2x4xi8>
  %p = tern.pack %w {layout = #tern.layout<i2>} : tensor<2x4xi8> -> tensor<2x1xi8>
  return %p : tensor<2x1xi8>
}
