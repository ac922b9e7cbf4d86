// ternc --emit=llvm-dialect prints the module after the CPU lowering: only
// the LLVM dialect is left (no tern, linalg, memref, bufferization, scf,
// arith, math, vector, tensor or func op), the weights are outlined into the
// tern.weights resource (160 bytes for haswell: gamma at 0, 3 rows of 32
// packed bytes at 64), the entry point has a C interface
// (_mlir_ciface_layer) and the AVX2 kernel is internal.
// RUN: ternc --emit=llvm-dialect --mcpu=haswell %S/Inputs/layer.mlir -o %t.mlir
// RUN: FileCheck %s --input-file=%t.mlir --implicit-check-not='{{^ *(tern|linalg|memref|bufferization|scf|arith|math|vector|tensor|func|affine|cf|ub)\.[a-z_]+|= (tern|linalg|memref|bufferization|scf|arith|math|vector|tensor|affine|cf|ub)\.[a-z_]+|unrealized_conversion_cast}}'
// The output is valid MLIR that tern-opt reads back.
// RUN: tern-opt %t.mlir | FileCheck %s --check-prefix=REPARSE
// On an AVX-512 VNNI CPU the kernel uses vpdpbusd and the weights are 256 bytes.
// RUN: ternc --emit=llvm-dialect --mcpu=cascadelake %S/Inputs/layer.mlir | FileCheck %s --check-prefix=VNNI

// CHECK: module attributes {tern.weights = dense_resource<tern_weights> : tensor<160xi8>} {
// CHECK: llvm.mlir.global external @__tern_parallel_for()
// CHECK: llvm.func @layer(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: llvm.call @tern_matmul_avx2_i2_128_lsb_r4_dq(
// CHECK: llvm.func @_mlir_ciface_layer(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) attributes {llvm.emit_c_interface}
// CHECK: llvm.func internal @tern_matmul_avx2_i2_128_lsb_r4_dq_task(
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK: llvm.func internal @tern_matmul_avx2_i2_128_lsb_r4_dq(
// CHECK: tern_weights: "0x400000000000003F

// REPARSE: llvm.func @_mlir_ciface_layer

// VNNI: module attributes {tern.weights = dense_resource<tern_weights> : tensor<256xi8>} {
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// VNNI-NOT: llvm.x86.avx2
