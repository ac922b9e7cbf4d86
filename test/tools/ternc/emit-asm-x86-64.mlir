// ternc --emit=asm --mcpu=x86-64: the portable kernel (SSE2 at most): no ymm
// or zmm register and no AVX instruction (no v-prefixed vector op such as
// vpmaddubsw or vpdpbusd); the dot product is widened multiplies on xmm.
// The header needs no CPU feature.
// RUN: ternc --emit=asm --mcpu=x86-64 %S/Inputs/layer.mlir -o %t.s
// RUN: FileCheck %s --input-file=%t.s --implicit-check-not=ymm --implicit-check-not=zmm --implicit-check-not=vpmadd --implicit-check-not=vpdpbusd --implicit-check-not='{{^[[:space:]]+v[a-z0-9]+[[:space:]]}}'

// CHECK: .type tern_matmul_portable_i2_64_lsb_r4_dq_task,@function
// CHECK: pmaddwd %xmm{{[0-9]+}}, %xmm{{[0-9]+}}
// CHECK: .type tern_matmul_portable_i2_64_lsb_r4_dq,@function
// CHECK: .globl __tern_entry_layer
// CHECK: .asciz "tern-artifact 1\ntarget x86_64-unknown-linux-gnu x86-64\nfeatures -\nweights embedded 112 {{[0-9a-f]+}}\n
