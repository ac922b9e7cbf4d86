// tern-pack-weights packs unpacked constant weights into i2 at compile time.
// Rows: [-1, 0, 1, 1, 0, -1] codes [0, 1, 2, 2 | 1, 0, pad 1, pad 1];
//       [1, 1, 1, -1, -1, -1] codes [2, 2, 2, 0 | 0, 0, 1, 1];
//       [0, 0, 0, 0, 0, 1]    codes [1, 1, 1, 1 | 1, 2, 1, 1].
// lsb block 4: row 0 -> [0b10100100, 0b01010001] = [-92, 81];
//              row 1 -> [0b00101010, 0b01010000] = [42, 80];
//              row 2 -> [0b01010101, 0b01011001] = [85, 89].
// RUN: tern-opt %s --tern-pack-weights=layout=i2:4 | FileCheck %s --check-prefix=LSB
// msb block 4: row 0 -> [0b00011010, 0b01000101] = [26, 69];
//              row 1 -> [0b10101000, 0b00000101] = [-88, 5];
//              row 2 -> [0b01010101, 0b01100101] = [85, 101].
// RUN: tern-opt %s --tern-pack-weights=layout=i2:4:msb | FileCheck %s --check-prefix=MSB

// LSB-LABEL: func.func @matmul
// LSB-SAME: (%[[A:.*]]: tensor<2x6xi8>)
// LSB: %[[W:.*]] = arith.constant dense<{{\[}}[-92, 81], [42, 80], [85, 89]]> : tensor<3x2xi8>
// LSB-NOT: tensor<3x6xi8>
// LSB: tern.matmul %[[A]], %[[W]] {layout = #tern.layout<i2>} : tensor<2x6xi8>, tensor<3x2xi8> -> tensor<2x3xi32>

// MSB-LABEL: func.func @matmul
// MSB: %[[W:.*]] = arith.constant dense<{{\[}}[26, 69], [-88, 5], [85, 101]]> : tensor<3x2xi8>
// MSB: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<i2, msb>}
func.func @matmul(%a: tensor<2x6xi8>) -> tensor<2x3xi32> {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1], [1, 1, 1, -1, -1, -1], [0, 0, 0, 0, 0, 1]]> : tensor<3x6xi8>
  %r = tern.matmul %a, %w : tensor<2x6xi8>, tensor<3x6xi8> -> tensor<2x3xi32>
  return %r : tensor<2x3xi32>
}
