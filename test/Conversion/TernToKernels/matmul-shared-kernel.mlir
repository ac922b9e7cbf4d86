// Matmuls with the same layout share one generated kernel, whatever their
// shapes and whichever function they are in: three calls, one kernel and one
// task, one set of runtime declarations. Static M allocates a static result;
// dynamic M takes it from the activations. A single row of activations
// (decode) gets the matrix-vector variant, also shared.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx512vnni | FileCheck %s
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx512vnni | grep -c "tern_matmul_avx512vnni_i2_256_lsb(" | FileCheck %s --check-prefix=COUNT
// One definition, three calls.
// COUNT: {{^}}4{{$}}

// CHECK-COUNT-1: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-NOT: llvm.func @malloc
// CHECK-LABEL: func.func @two
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<2x8xi32>
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb(
// CHECK: memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x16xi32>
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb(
// CHECK-LABEL: func.func @other
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb(
// CHECK-LABEL: func.func @decode
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb_gemv(
// CHECK-LABEL: func.func @decode2
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb_gemv(
// CHECK-COUNT-1: llvm.func internal @tern_matmul_avx512vnni_i2_256_lsb_task(
// CHECK-COUNT-1: func.func private @tern_matmul_avx512vnni_i2_256_lsb(
// CHECK-COUNT-1: llvm.func internal @tern_matmul_avx512vnni_i2_256_lsb_gemv_task(
// CHECK-COUNT-1: func.func private @tern_matmul_avx512vnni_i2_256_lsb_gemv(
// CHECK-NOT: llvm.func internal @tern_matmul
// CHECK-NOT: func.func private @tern_matmul
// CHECK-NOT: llvm.func @malloc
// CHECK-NOT: @__tern_parallel_for()
func.func @two(%a: tensor<2x512xi8>, %b: tensor<?x512xi8>, %w1: tensor<8x128xi8>, %w2: tensor<16x128xi8>) -> (tensor<2x8xi32>, tensor<?x16xi32>) {
  %r1 = tern.matmul %a, %w1 {layout = #tern.layout<i2, block = 256>} : tensor<2x512xi8>, tensor<8x128xi8> -> tensor<2x8xi32>
  %r2 = tern.matmul %b, %w2 {layout = #tern.layout<i2, block = 256>} : tensor<?x512xi8>, tensor<16x128xi8> -> tensor<?x16xi32>
  return %r1, %r2 : tensor<2x8xi32>, tensor<?x16xi32>
}
func.func @other(%a: tensor<3x512xi8>, %w: tensor<4x128xi8>) -> tensor<3x4xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<3x512xi8>, tensor<4x128xi8> -> tensor<3x4xi32>
  return %r : tensor<3x4xi32>
}
func.func @decode(%a: tensor<1x512xi8>, %w: tensor<4x128xi8>) -> tensor<1x4xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<1x512xi8>, tensor<4x128xi8> -> tensor<1x4xi32>
  return %r : tensor<1x4xi32>
}
func.func @decode2(%a: tensor<1x512xi8>, %w: tensor<24x128xi8>) -> tensor<1x24xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<1x512xi8>, tensor<24x128xi8> -> tensor<1x24xi32>
  return %r : tensor<1x24xi32>
}
