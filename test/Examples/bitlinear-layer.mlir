// The quick-start example (scripts/demo runs it): a BitNet linear layer with
// float weights, ternarized with absmean and packed into the AVX-512 layout
// at compile time.
// RUN: tern-opt %s --canonicalize --tern-pack-weights=layout=i2:256 | FileCheck %s

// mean|W| = 0.5: W / 0.5 = [[2, -2, 0.5, 0], [1, 1, -1, -0.5]]
//   -> trits [[1, -1, 0, 0], [1, 1, -1, 0]] (0.5 and -0.5 round to even 0).
// i2 block 256 (S = 64): weight j of row r is in byte j of the row's 64 bytes
// at bits 0-1; the other 252 weights of the block are padding (code 1), so
// every byte is 0b01010100 = 0x54 plus the weight's own code at bits 0-1.
//   row 0 codes [2, 0, 1, 1] -> bytes 56 54 55 55, then 60 x 55
//   row 1 codes [2, 2, 0, 1] -> bytes 56 56 54 55, then 60 x 55
// (MLIR prints constants this large as hex).
// CHECK-LABEL: func.func @bitlinear_layer
// CHECK-DAG: %[[W:.*]] = arith.constant dense<"0x5654555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555556565455555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555"> : tensor<2x64xi8>
// CHECK-DAG: %[[G:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[Y:.*]] = tern.bitlinear %arg0, %[[W]], %[[G]] {layout = #tern.layout<i2, block = 256>} : tensor<?x4xf32>, tensor<2x64xi8>, tensor<f32> -> tensor<?x2xf32>
// CHECK: return %[[Y]]
func.func @bitlinear_layer(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, -1.0, 0.25, 0.0], [0.5, 0.5, -0.5, -0.25]]> : tensor<2x4xf32>
  %trits, %gamma = tern.ternarize %w : tensor<2x4xf32> -> tensor<2x4xi8>, tensor<f32>
  %y = tern.bitlinear %x, %trits, %gamma : tensor<?x4xf32>, tensor<2x4xi8>, tensor<f32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
