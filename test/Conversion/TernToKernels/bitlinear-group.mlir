// tern.bitlinear with group scales becomes the input's tern.quantize and one
// call of the group-scaled dequantizing kernel (`_g<G>`), with the residual
// add that follows fused in; the kernel converts each group's i32 sums and
// multiplies-adds its scale (fma), and 1-bit weights in the i1 layout of 8
// vectors are unpacked in registers. binary-kernel=mask-select selects the
// other 1-bit formulation (`_ms`); an unknown value is an error.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx512vnni | FileCheck %s
// RUN: tern-opt %s --convert-tern-to-kernels="isa=avx512vnni binary-kernel=mask-select" | FileCheck %s --check-prefix=MASK
// RUN: not tern-opt %s --convert-tern-to-kernels="isa=avx512vnni binary-kernel=popcount" 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK-LABEL: func.func @decode
// CHECK: call @tern_quantize(
// CHECK: call @tern_matmul_avx512vnni_i1_512_lsb_r8_gemv_dq_res_g128(
// CHECK-NOT: linalg.add
// CHECK: return
// MASK: call @tern_matmul_avx512vnni_i1_512_lsb_r8_gemv_dq_res_g128_ms(
// BAD: unknown binary-kernel 'popcount'; expected dot or mask-select
func.func @decode(%x: tensor<1x1024xf32>, %w: tensor<16x128xi8>, %d: tensor<16x8xf32>, %r: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %y = tern.bitlinear %x, %w, %d {kind = #tern.kind<binary>, layout = #tern.layout<i1, block = 512, rows = 8>, granularity = #tern.scale<group = 128>} : tensor<1x1024xf32>, tensor<16x128xi8>, tensor<16x8xf32> -> tensor<1x16xf32>
  %e = tensor.empty() : tensor<1x16xf32>
  %z = linalg.add ins(%r, %y : tensor<1x16xf32>, tensor<1x16xf32>) outs(%e : tensor<1x16xf32>) -> tensor<1x16xf32>
  return %z : tensor<1x16xf32>
}

// Ternary weights, groups of 256 over a k-step of 256 (i2:256), tokens
// dynamic: the matrix-matrix kernel.
// CHECK-LABEL: func.func @prefill
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb_r8_dq_g256(
func.func @prefill(%x: tensor<?x512xf32>, %w: tensor<8x128xi8>, %d: tensor<8x2xf32>) -> tensor<?x8xf32> {
  %y = tern.bitlinear %x, %w, %d {layout = #tern.layout<i2, block = 256, rows = 8>, granularity = #tern.scale<group = 256>} : tensor<?x512xf32>, tensor<8x128xi8>, tensor<8x2xf32> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// The kernel itself: per group an i32 -> f32 conversion and an fma.
// CHECK: llvm.func internal @tern_matmul_avx512vnni_i1_512_lsb_r8_gemv_dq_res_g128_task
// CHECK: llvm.x86.avx512.vpdpbusd.512
// CHECK: arith.sitofp {{.*}} : vector<16xi32> to vector<16xf32>
// CHECK-NEXT: llvm.intr.fma
// CHECK: func.func private @tern_matmul_avx512vnni_i1_512_lsb_r8_gemv_dq_res_g128(
