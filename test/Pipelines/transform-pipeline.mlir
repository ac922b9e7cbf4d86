// tern-transform-pipeline (what ternc --emit=tern runs: canonicalize,
// tern-pack-weights, cse) folds tern.ternarize of constant float weights and
// packs every constant weight matrix into the isa's preferred layout: i2 with
// block 4 x the vector bytes, i.e. i2:256 for avx512vnni, i2:128 for avx2 and
// i2:64 for portable (also the default); layout= overrides the choice.
// Weights that are not constants are left unpacked.
// RUN: tern-opt %s --tern-transform-pipeline=isa=avx512vnni | FileCheck %s --check-prefix=VNNI
// RUN: tern-opt %s --tern-transform-pipeline=isa=avx2 | FileCheck %s --check-prefix=AVX2
// RUN: tern-opt %s --tern-transform-pipeline=isa=portable | FileCheck %s --check-prefix=PORT
// RUN: tern-opt %s --tern-transform-pipeline | FileCheck %s --check-prefix=PORT
// RUN: tern-opt %s --tern-transform-pipeline="isa=avx2 layout=b3:5" | FileCheck %s --check-prefix=B3

// mean|W| = 12 / 24 = 0.5, so gamma = 0.5 and the trits are
//   [[1, -1, 0, 0, 1, 1, -1, 0], [1, 1, -1, 0, 1, -1, 0, 0], [0, 0, 1, 1, -1, -1, 0, 0]]
// (+-0.25 / 0.5 = +-0.5 rounds to even 0). With K = 8 and any i2 block of at
// least 32, weight j sits alone in byte j at bits 0-1 (code w + 1); the other
// three 2-bit fields of every byte are padding code 1: 0x54 + code, i.e.
// 84 (-1), 85 (0), 86 (+1); the rest of each row is 85 (0x55).
// The matmul weights [[-1, 0, 1, 1, 0, -1], [1, 1, 1, -1, -1, -1], [0, 0, 0, 0, 0, 1]]
// pack the same way.

// VNNI-LABEL: func.func @layer
// VNNI-DAG: %[[G:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// VNNI-DAG: %[[W:.*]] = arith.constant dense<"0x565455555656545555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555656545556545555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555656545455555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555"> : tensor<3x64xi8>
// VNNI-NOT: tern.ternarize
// VNNI: tern.bitlinear %{{.*}}, %[[W]], %[[G]] {layout = #tern.layout<i2, block = 256, rows = 8>} : tensor<?x8xf32>, tensor<3x64xi8>, tensor<f32> -> tensor<?x3xf32>
// VNNI-LABEL: func.func @mm
// VNNI-SAME: (%[[A:.*]]: tensor<2x6xi8>, %[[W2:.*]]: tensor<3x6xi8>)
// VNNI: %[[W:.*]] = arith.constant dense<"0x545556565554555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555656565454545555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555655555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555555"> : tensor<3x64xi8>
// VNNI: tern.matmul %[[A]], %[[W]] {layout = #tern.layout<i2, block = 256, rows = 8>} : tensor<2x6xi8>, tensor<3x64xi8> -> tensor<2x3xi32>
// VNNI: tern.matmul %[[A]], %[[W2]] : tensor<2x6xi8>, tensor<3x6xi8> -> tensor<2x3xi32>

// AVX2-LABEL: func.func @layer
// AVX2-DAG: %[[G:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// AVX2-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[86, 84, 85, 85, 86, 86, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85], [86, 86, 84, 85, 86, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85], [85, 85, 86, 86, 84, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85]]> : tensor<3x32xi8>
// AVX2: tern.bitlinear %{{.*}}, %[[W]], %[[G]] {layout = #tern.layout<i2, block = 128, rows = 4>} : tensor<?x8xf32>, tensor<3x32xi8>, tensor<f32> -> tensor<?x3xf32>
// AVX2-LABEL: func.func @mm
// AVX2: %[[W:.*]] = arith.constant dense<{{\[}}[84, 85, 86, 86, 85, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85], [86, 86, 86, 84, 84, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85], [85, 85, 85, 85, 85, 86, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85]]> : tensor<3x32xi8>
// AVX2: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<i2, block = 128, rows = 4>} : tensor<2x6xi8>, tensor<3x32xi8> -> tensor<2x3xi32>
// AVX2: tern.matmul %{{.*}}, %{{.*}} : tensor<2x6xi8>, tensor<3x6xi8> -> tensor<2x3xi32>

// PORT-LABEL: func.func @layer
// PORT-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[86, 84, 85, 85, 86, 86, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85], [86, 86, 84, 85, 86, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85], [85, 85, 86, 86, 84, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85]]> : tensor<3x16xi8>
// PORT: tern.bitlinear %{{.*}}, %[[W]], %{{.*}} {layout = #tern.layout<i2, block = 64, rows = 4>} : tensor<?x8xf32>, tensor<3x16xi8>, tensor<f32> -> tensor<?x3xf32>
// PORT-LABEL: func.func @mm
// PORT: %[[W:.*]] = arith.constant dense<{{\[}}[84, 85, 86, 86, 85, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85], [86, 86, 86, 84, 84, 84, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85], [85, 85, 85, 85, 85, 86, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85]]> : tensor<3x16xi8>
// PORT: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<i2, block = 64, rows = 4>} : tensor<2x6xi8>, tensor<3x16xi8> -> tensor<2x3xi32>

// b3 (5 trits a byte, block 5; printed without the default block): K = 8 is
// 2 blocks of one byte, byte = ceil(v * 256 / 243) for v the base-3 number of
// the 5 codes (padding code 1). Row 0 of the layer: codes [2, 0, 1, 1, 2] ->
// v = 176 -> 186 (-70); [2, 0, 1, pad 1, pad 1] -> v = 175 -> 185 (-71).
// B3-LABEL: func.func @layer
// B3: %[[W:.*]] = arith.constant dense<{{\[}}[-70, -71], [-23, 43], [-116, 43]]> : tensor<3x2xi8>
// B3: tern.bitlinear %{{.*}}, %[[W]], %{{.*}} {layout = #tern.layout<b3>} : tensor<?x8xf32>, tensor<3x2xi8>, tensor<f32> -> tensor<?x3xf32>
// B3-LABEL: func.func @mm
// B3: %[[W:.*]] = arith.constant dense<{{\[}}[55, 43], [-9, 43], [-128, -43]]> : tensor<3x2xi8>
// B3: tern.matmul %{{.*}}, %[[W]] {layout = #tern.layout<b3>} : tensor<2x6xi8>, tensor<3x2xi8> -> tensor<2x3xi32>

func.func @layer(%x: tensor<?x8xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[1.0, -1.0, 0.25, 0.0, 0.5, 0.5, -0.5, -0.25], [0.5, 0.5, -0.5, -0.25, 1.0, -1.0, 0.25, 0.0], [0.0, 0.0, 1.0, 1.0, -1.0, -1.0, 0.0, 0.0]]> : tensor<3x8xf32>
  %trits, %gamma = tern.ternarize %w : tensor<3x8xf32> -> tensor<3x8xi8>, tensor<f32>
  %y = tern.bitlinear %x, %trits, %gamma : tensor<?x8xf32>, tensor<3x8xi8>, tensor<f32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

func.func @mm(%a: tensor<2x6xi8>, %w2: tensor<3x6xi8>) -> (tensor<2x3xi32>, tensor<2x3xi32>) {
  %w = arith.constant dense<[[-1, 0, 1, 1, 0, -1], [1, 1, 1, -1, -1, -1], [0, 0, 0, 0, 0, 1]]> : tensor<3x6xi8>
  %r = tern.matmul %a, %w : tensor<2x6xi8>, tensor<3x6xi8> -> tensor<2x3xi32>
  %r2 = tern.matmul %a, %w2 : tensor<2x6xi8>, tensor<3x6xi8> -> tensor<2x3xi32>
  return %r, %r2 : tensor<2x3xi32>, tensor<2x3xi32>
}
