// convert-tern-to-kernels on the ops around a matmul:
//  - a tern.quantize of a tern.rms_norm used only by it: one call of the
//    fused row kernel @tern_rms_norm_quantize (the normalized row is never
//    stored); a norm with another use keeps its own kernel;
//  - a tern.dequantize of a tern.matmul used only by it: one call of the
//    dequantizing matmul kernel (f32 out, row scales, column scales with
//    stride 0 for a per-tensor scale and 1 for per-column ones);
//  - what has no kernel (a 3-D quantize, a shared matmul's dequantize) is
//    left for convert-tern-to-linalg.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx512vnni | FileCheck %s

// CHECK-LABEL: func.func @norm_quantize
// CHECK-NOT: tern.
// CHECK: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x2560xi8>
// CHECK: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?xf32>
// CHECK: call @tern_rms_norm_quantize({{.*}}) : (!llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64, i64, f32, f32, i64) -> ()
// CHECK-NOT: tern.
// CHECK: return
func.func @norm_quantize(%x: tensor<?x2560xf32>, %g: tensor<2560xf32>) -> (tensor<?x2560xi8>, tensor<?xf32>) {
  %y = tern.rms_norm %x, %g : tensor<?x2560xf32>, tensor<2560xf32> -> tensor<?x2560xf32>
  %q, %s = tern.quantize %y : tensor<?x2560xf32> -> tensor<?x2560xi8>, tensor<?xf32>
  return %q, %s : tensor<?x2560xi8>, tensor<?xf32>
}

// CHECK-LABEL: func.func @norm_two_uses
// CHECK: call @tern_rms_norm(
// CHECK: call @tern_quantize(
// CHECK-NOT: tern.
// CHECK: return
func.func @norm_two_uses(%x: tensor<4x64xf32>, %g: tensor<64xf32>) -> (tensor<4x64xf32>, tensor<4x64xi8>, tensor<4xf32>) {
  %y = tern.rms_norm %x, %g : tensor<4x64xf32>, tensor<64xf32> -> tensor<4x64xf32>
  %q, %s = tern.quantize %y : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4xf32>
  return %y, %q, %s : tensor<4x64xf32>, tensor<4x64xi8>, tensor<4xf32>
}

// CHECK-LABEL: func.func @dequantized_matmul
// CHECK-NOT: tern.
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x8xf32>
// CHECK: %[[STRIDE:.*]] = arith.constant 0 : i64
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb_dq({{.*}}, %[[STRIDE]]) : (!llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, i64) -> ()
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable : memref<?x8xf32> to tensor<?x8xf32>
func.func @dequantized_matmul(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>, %s: tensor<?xf32>, %c: tensor<f32>) -> tensor<?x8xf32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
  %y = tern.dequantize %r, %s, %c : tensor<?x8xi32>, tensor<?xf32>, tensor<f32> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// The matrix-vector variant, with a scale per output column.
// CHECK-LABEL: func.func @dequantized_gemv
// CHECK: %[[STRIDE:.*]] = arith.constant 1 : i64
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb_gemv_dq({{.*}}, %[[STRIDE]])
func.func @dequantized_gemv(%a: tensor<1x512xi8>, %w: tensor<8x128xi8>, %s: tensor<1xf32>, %c: tensor<8xf32>) -> tensor<1x8xf32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<1x512xi8>, tensor<8x128xi8> -> tensor<1x8xi32>
  %y = tern.dequantize %r, %s, %c : tensor<1x8xi32>, tensor<1xf32>, tensor<8xf32> -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// CHECK-LABEL: func.func @left_for_linalg
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb(
// CHECK: tern.dequantize
// CHECK: tern.quantize %{{.*}} : tensor<2x3x64xf32>
func.func @left_for_linalg(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>, %s: tensor<?xf32>, %x: tensor<2x3x64xf32>) -> (tensor<?x8xf32>, tensor<?x8xi32>, tensor<2x3x64xi8>, tensor<2x3xf32>) {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
  %y = tern.dequantize %r, %s : tensor<?x8xi32>, tensor<?xf32> -> tensor<?x8xf32>
  %q, %qs = tern.quantize %x : tensor<2x3x64xf32> -> tensor<2x3x64xi8>, tensor<2x3xf32>
  return %y, %r, %q, %qs : tensor<?x8xf32>, tensor<?x8xi32>, tensor<2x3x64xi8>, tensor<2x3xf32>
}

// The row kernels' tasks: f32 vectors of 16 along the row, a sequential
// reduction of the lanes, a scalar tail.
// CHECK-LABEL: llvm.func internal @tern_rms_norm_quantize_task(
// CHECK: scf.for {{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<16xf32>)
// CHECK: vector.reduction <add>, %{{.*}} : vector<16xf32> into f32
// CHECK: math.sqrt
// CHECK: vector.reduction <maximumf>, %{{.*}} : vector<16xf32> into f32
// CHECK: math.roundeven %{{.*}} : vector<16xf32>
// CHECK: arith.fptosi %{{.*}} : vector<16xf32> to vector<16xi8>
