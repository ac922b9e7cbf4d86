// ternc --emit=asm for the host CPU (the default --mcpu=host). Like
// test/e2e, this assumes the machine running the tests has AVX-512 VNNI (and
// AVX-512 BW): ternc then picks the avx512vnni kernel, whose inner loop is
// vpdpbusd on zmm registers, and the i2:256 layout (256 bytes of weights).
// RUN: ternc --emit=asm %S/Inputs/layer.mlir -o %t.s
// RUN: FileCheck %s --input-file=%t.s
// RUN: ternc --emit=asm %S/Inputs/layer.mlir -o - | FileCheck %s

// CHECK: .type tern_matmul_avx512vnni_i2_256_lsb_r8_dq_task,@function
// CHECK: vpdpbusd %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// CHECK: .type tern_matmul_avx512vnni_i2_256_lsb_r8_dq,@function
// CHECK: .globl __tern_entry_layer
// CHECK: .globl __tern_metadata
// CHECK: .asciz "tern-artifact 1\ntarget x86_64-unknown-linux-gnu {{[a-z0-9_-]+}}\nfeatures {{.*}}avx512vnni{{.*}}\nweights embedded 256
// CHECK: .globl __tern_weights
