// tern-cpu-pipeline=isa=avx2 takes a BitNet layer with float weights all the
// way to the LLVM dialect: the weights are ternarized and packed as i2:128 at
// compile time, outlined into one blob (module attribute tern.weights, a
// dense_resource: gamma = 0.5 at offset 0, the packed rows at offset 64), the
// entry point takes that blob as its first memref argument and has a C
// interface, and the AVX2 kernel is internal. No op of any other dialect is
// left.
// RUN: tern-opt %s --tern-cpu-pipeline=isa=avx2 | FileCheck %s --implicit-check-not='{{^ *(tern|linalg|memref|bufferization|scf|arith|math|vector|tensor|func|affine|cf|ub)\.[a-z_]+|= (tern|linalg|memref|bufferization|scf|arith|math|vector|tensor|affine|cf|ub)\.[a-z_]+}}'

// CHECK: module attributes {tern.weights = dense_resource<tern_weights> : tensor<160xi8>} {
// CHECK: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK: llvm.func @free(!llvm.ptr)
// CHECK: llvm.mlir.global external @__tern_parallel_for()
// The weights blob (ptr, ptr, offset, size, stride), then x (2-d), then bias.
// CHECK: llvm.func @layer(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64) -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> attributes {llvm.emit_c_interface} {
// CHECK: llvm.call @tern_quantize(
// CHECK: llvm.call @tern_matmul_avx2_i2_128_lsb_r4_dq(
// CHECK: llvm.func @_mlir_ciface_layer(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) attributes {llvm.emit_c_interface} {
// CHECK: llvm.call @layer(
// CHECK: llvm.func internal @tern_matmul_avx2_i2_128_lsb_r4_dq_task(
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK: llvm.func internal @tern_matmul_avx2_i2_128_lsb_r4_dq(
// CHECK: llvm.mlir.addressof @__tern_parallel_for
// CHECK: llvm.func internal @tern_quantize_task(
// CHECK: llvm.intr.fabs
// CHECK: llvm.intr.roundeven
// CHECK: llvm.func internal @tern_quantize(
// CHECK: dialect_resources: {
// CHECK: tern_weights: "0x40000000
// CHECK-SAME: 0000003F{{(00)+}}
// CHECK-SAME: 5654555556565455555555555555555555555555555555555555555555555555
// CHECK-SAME: 5656545556545555555555555555555555555555555555555555555555555555
// CHECK-SAME: 5555565654545555555555555555555555555555555555555555555555555555"
func.func @layer(%x: tensor<?x8xf32>, %bias: tensor<3xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[1.0, -1.0, 0.25, 0.0, 0.5, 0.5, -0.5, -0.25], [0.5, 0.5, -0.5, -0.25, 1.0, -1.0, 0.25, 0.0], [0.0, 0.0, 1.0, 1.0, -1.0, -1.0, 0.0, 0.0]]> : tensor<3x8xf32>
  %trits, %gamma = tern.ternarize %w : tensor<3x8xf32> -> tensor<3x8xi8>, tensor<f32>
  %y = tern.bitlinear %x, %trits, %gamma, %bias : tensor<?x8xf32>, tensor<3x8xi8>, tensor<f32>, tensor<3xf32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
