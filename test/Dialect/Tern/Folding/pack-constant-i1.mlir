// tern.pack of binary weights to 1 bit. [+1, -1, +1, +1, -1, -1, -1, +1] sets
// bits 0, 2, 3, 7 (lsb) = 0b10001101 = 141 = -115 (i8), or bits 7, 5, 4, 0
// (msb) = 0b10110001 = 177 = -79.
// RUN: tern-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @i1
// CHECK-DAG: arith.constant dense<-115> : tensor<1x1xi8>
// CHECK-DAG: arith.constant dense<-79> : tensor<1x1xi8>
func.func @i1() -> (tensor<1x1xi8>, tensor<1x1xi8>) {
  %w = arith.constant dense<[[1, -1, 1, 1, -1, -1, -1, 1]]> : tensor<1x8xi8>
  %l = tern.pack %w {layout = #tern.layout<i1>} : tensor<1x8xi8> -> tensor<1x1xi8>
  %m = tern.pack %w {layout = #tern.layout<i1, msb>} : tensor<1x8xi8> -> tensor<1x1xi8>
  return %l, %m : tensor<1x1xi8>, tensor<1x1xi8>
}
