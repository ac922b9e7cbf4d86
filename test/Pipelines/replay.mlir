// tern-opt replays exactly what ternc runs: the registered tern-cpu-pipeline
// with the isa ternc picked for the CPU gives the same LLVM-dialect IR as
// `ternc --emit=llvm-dialect` (haswell -> avx2, i2:128).
// RUN: ternc --emit=llvm-dialect --mcpu=haswell %S/../tools/ternc/Inputs/layer.mlir -o %t.a
// RUN: tern-opt %S/../tools/ternc/Inputs/layer.mlir --tern-cpu-pipeline="isa=avx2" -o %t.b
// RUN: diff %t.a %t.b
// RUN: FileCheck %s --input-file=%t.a
// CHECK: llvm.func internal @tern_matmul_avx2_i2_128_lsb_r4_dq_task
