// tern.unpack of constants folds to the unpacked values, including an i2 code
// 3 (byte 0xFF), which unpacks to +2 as the integer kernels compute it.
// RUN: tern-opt %s -canonicalize -split-input-file | FileCheck %s

// Bytes [-92, 81] = [0b10100100, 0b01010001]: codes [0, 1, 2, 2], [1, 0].
// CHECK-LABEL: func.func @i2
// CHECK: arith.constant dense<{{\[}}[-1, 0, 1, 1, 0, -1]]> : tensor<1x6xi8>
func.func @i2() -> tensor<1x6xi8> {
  %p = arith.constant dense<[[-92, 81]]> : tensor<1x2xi8>
  %w = tern.unpack %p {layout = #tern.layout<i2>} : tensor<1x2xi8> -> tensor<1x6xi8>
  return %w : tensor<1x6xi8>
}

// -----

// CHECK-LABEL: func.func @code3
// CHECK: arith.constant dense<2> : tensor<1x4xi8>
func.func @code3() -> tensor<1x4xi8> {
  %p = arith.constant dense<-1> : tensor<1x1xi8>
  %w = tern.unpack %p {layout = #tern.layout<i2>} : tensor<1x1xi8> -> tensor<1x4xi8>
  return %w : tensor<1x4xi8>
}

// -----

// b3 byte 55 = ceil(52 * 256 / 243): digits of 52 = [0, 1, 2, 2, 1].
// CHECK-LABEL: func.func @b3
// CHECK: arith.constant dense<{{\[}}[-1, 0, 1, 1, 0]]> : tensor<1x5xi8>
func.func @b3() -> tensor<1x5xi8> {
  %p = arith.constant dense<[[55]]> : tensor<1x1xi8>
  %w = tern.unpack %p {layout = #tern.layout<b3>} : tensor<1x1xi8> -> tensor<1x5xi8>
  return %w : tensor<1x5xi8>
}

// -----

// i1 0b10001101 = -115: bits 0, 2, 3, 7 set.
// CHECK-LABEL: func.func @i1
// CHECK: arith.constant dense<{{\[}}[1, -1, 1, 1, -1, -1, -1, 1]]> : tensor<1x8xi8>
func.func @i1() -> tensor<1x8xi8> {
  %p = arith.constant dense<-115> : tensor<1x1xi8>
  %w = tern.unpack %p {layout = #tern.layout<i1>} : tensor<1x1xi8> -> tensor<1x8xi8>
  return %w : tensor<1x8xi8>
}
