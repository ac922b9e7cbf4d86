// ternc --emit=tern prints the tern IR after the transform pipeline: the
// ternarization is folded and the weights are packed into the target's layout,
// i2 with a block of 4 vectors: i2:128 for haswell (AVX2), i2:64 for plain
// x86-64, i2:256 for an AVX-512 VNNI CPU (cascadelake); --layout overrides it.
// Each packed row is 'VTUUVVTU' etc. (see Inputs/layer.mlir) then 0x55.
// RUN: ternc --emit=tern --mcpu=haswell %S/Inputs/layer.mlir | FileCheck %s --check-prefix=AVX2
// RUN: ternc --emit=tern --mcpu=x86-64 %S/Inputs/layer.mlir | FileCheck %s --check-prefix=PORT
// RUN: ternc --emit=tern --mcpu=cascadelake %S/Inputs/layer.mlir | FileCheck %s --check-prefix=VNNI
// RUN: ternc --emit=tern --mcpu=haswell --layout=i2:4:msb %S/Inputs/layer.mlir | FileCheck %s --check-prefix=LAYOUT
// RUN: ternc --emit=tern --mcpu=haswell --mattr=+avx512f,+avx512bw,+avx512vnni %S/Inputs/layer.mlir | FileCheck %s --check-prefix=VNNI

// AVX2-LABEL: func.func @layer
// AVX2-NOT: tern.ternarize
// AVX2-DAG: %[[G:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// AVX2-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}86, 84, 85, 85, 86, 86, 84, 85, 85, {{.*}}], [86, 86, 84, 85, 86, 84, 85, 85, 85, {{.*}}], [85, 85, 86, 86, 84, 84, 85, 85, 85, {{.*}}]]> : tensor<3x32xi8>
// AVX2: tern.bitlinear %{{.*}}, %[[W]], %[[G]], %{{.*}} {layout = #tern.layout<i2, block = 128, rows = 4>} : tensor<?x8xf32>, tensor<3x32xi8>, tensor<f32>, tensor<3xf32> -> tensor<?x3xf32>

// PORT: tern.bitlinear {{.*}} {layout = #tern.layout<i2, block = 64, rows = 4>} : tensor<?x8xf32>, tensor<3x16xi8>, tensor<f32>, tensor<3xf32> -> tensor<?x3xf32>
// VNNI: tern.bitlinear {{.*}} {layout = #tern.layout<i2, block = 256, rows = 8>} : tensor<?x8xf32>, tensor<3x64xi8>, tensor<f32>, tensor<3xf32> -> tensor<?x3xf32>

// i2 block 4, msb first: weights 0-3 in byte 0 from bit 7 down, 4-7 in byte 1.
// Row 0 codes [2, 0, 1, 1 | 2, 2, 0, 1] -> 0b10000101 = -123, 0b10100001 = -95;
// row 1 [2, 2, 0, 1 | 2, 0, 1, 1] -> -95, -123; row 2 [1, 1, 2, 2 | 0, 0, 1, 1] -> 90, 5.
// LAYOUT: %[[W:.*]] = arith.constant dense<{{\[\[}}-123, -95], [-95, -123], [90, 5]]> : tensor<3x2xi8>
// LAYOUT: tern.bitlinear %{{.*}}, %[[W]], {{.*}} {layout = #tern.layout<i2, msb>} : tensor<?x8xf32>, tensor<3x2xi8>
