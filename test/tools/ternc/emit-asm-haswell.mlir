// ternc --emit=asm --mcpu=haswell: the AVX2 kernel, whose dot product is
// vpmaddubsw + vpmaddwd on ymm registers; no vpdpbusd and no zmm register
// anywhere in the file (haswell has no AVX-512), whatever the host is.
// RUN: ternc --emit=asm --mcpu=haswell %S/Inputs/layer.mlir -o %t.s
// RUN: FileCheck %s --input-file=%t.s --implicit-check-not=vpdpbusd --implicit-check-not=zmm

// CHECK: .type tern_matmul_avx2_i2_128_lsb_r4_dq_task,@function
// CHECK: vpmaddubsw %ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// CHECK: vpmaddwd %ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// CHECK: .type tern_matmul_avx2_i2_128_lsb_r4_dq,@function
// CHECK: .globl __tern_entry_layer
// CHECK: .asciz "tern-artifact 1\ntarget x86_64-unknown-linux-gnu haswell\nfeatures sse4.2,avx,fma,f16c,avx2,bmi2\nweights embedded 160 7fba7deaa65a785b\n
