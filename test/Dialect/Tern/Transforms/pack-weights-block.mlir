// Large blocks: i2 block 256 (the AVX-512 layout) stores weight j of a block
// in byte j % 64 at bit 2 * (j / 64). K = 130 pads to 256: 64 bytes a row.
// Weights: w[0] = -1 (code 0 in byte 0, bits 0-1), w[64] = +1 (code 2 in byte
// 0, bits 2-3), w[129] = -1 (code 0 in byte 1, bits 4-5); all other weights
// and the padding are 0 (code 1).
//   byte 0 = 0b01_01_10_00 = 88, byte 1 = 0b01_00_01_01 = 69, others 0x55 = 85.
// RUN: tern-opt %s --tern-pack-weights=layout=i2:256 | FileCheck %s

// CHECK-LABEL: func.func @block256
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[88, 69, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85]]> : tensor<1x64xi8>
// CHECK: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<i2, block = 256>} : tensor<1x130xi8>, tensor<1x64xi8> -> tensor<1x1xi32>
func.func @block256(%a: tensor<1x130xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1]]> : tensor<1x130xi8>
  %r = tern.matmul %a, %w : tensor<1x130xi8>, tensor<1x130xi8> -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}
