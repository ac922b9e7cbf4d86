// Binary weights into 1 bit per weight; bit 1 is +1. With block 8 (Q1_0's
// order) byte b holds weights 8b .. 8b + 7 at bits 0 .. 7; K = 10 pads the
// second byte with sign bits 0.
//   [+1, -1, +1, +1, -1, -1, -1, +1 | -1, +1] -> [0b10001101, 0b00000010]
//   = [-115, 2].
// RUN: tern-opt %s --tern-pack-weights=layout=i1:8 | FileCheck %s
// With block 16 (S = 2) weight j goes to byte j % 2 at bit j / 2:
//   byte 0 = weights 0, 2, 4, 6, 8 = [+1, +1, -1, -1, -1] = 0b00011 = 3;
//   byte 1 = weights 1, 3, 5, 7, 9 = [-1, +1, -1, +1, +1] = 0b11010 = 26.
// RUN: tern-opt %s --tern-pack-weights=layout=i1:16 | FileCheck %s --check-prefix=B16

// CHECK-LABEL: func.func @binary
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[-115, 2]]> : tensor<1x2xi8>
// CHECK: tern.bitlinear %{{.*}}, %[[W]], %{{.*}} {granularity = #tern.scale<group = 128>, kind = #tern.kind<binary>, layout = #tern.layout<i1>}
// B16: arith.constant dense<{{\[}}[3, 26]]> : tensor<1x2xi8>
// B16: layout = #tern.layout<i1, block = 16>
func.func @binary(%x: tensor<1x10xf32>, %s: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %w = arith.constant dense<[[1, -1, 1, 1, -1, -1, -1, 1, -1, 1]]> : tensor<1x10xi8>
  %y = tern.bitlinear %x, %w, %s {kind = #tern.kind<binary>, granularity = #tern.scale<group = 128>} : tensor<1x10xf32>, tensor<1x10xi8>, tensor<1x1xf32> -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
