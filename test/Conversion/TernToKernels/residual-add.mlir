// convert-tern-to-kernels: a tern.dequantize of a tern.matmul whose only use
// is a linalg.add with a tensor available before it (a residual connection)
// becomes one call of the `_dq_res` kernel, which takes the residual's
// pointer and row stride after the scales and adds it in its epilogue; the
// linalg.add is gone. An add of a tensor defined after the matmul, or a
// dequantize with another use, keeps the plain `_dq` kernel and the add.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx512vnni | FileCheck %s

// CHECK-LABEL: func.func @fused
// CHECK-SAME: %[[RES:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[RB:.*]] = bufferization.to_buffer %[[RES]] read_only
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb_dq_res(
// CHECK-NOT: linalg.add
// CHECK: return
func.func @fused(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>, %s: tensor<?xf32>,
                 %c: tensor<8xf32>, %res: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
  %y = tern.dequantize %r, %s, %c : tensor<?x8xi32>, tensor<?xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %c0 = arith.constant 0 : index
  %m = tensor.dim %a, %c0 : tensor<?x512xi8>
  %e = tensor.empty(%m) : tensor<?x8xf32>
  %z = linalg.add ins(%y, %res : tensor<?x8xf32>, tensor<?x8xf32>) outs(%e : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %z : tensor<?x8xf32>
}

// CHECK-LABEL: func.func @two_uses
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb_dq(
// CHECK: linalg.add
func.func @two_uses(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>, %s: tensor<?xf32>,
                    %c: tensor<8xf32>, %res: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
  %y = tern.dequantize %r, %s, %c : tensor<?x8xi32>, tensor<?xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %z = linalg.add ins(%y, %res : tensor<?x8xf32>, tensor<?x8xf32>) outs(%res : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %y, %z : tensor<?x8xf32>, tensor<?x8xf32>
}

// CHECK-LABEL: func.func @later_operand
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb_dq(
// CHECK: linalg.add
func.func @later_operand(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>, %s: tensor<?xf32>,
                         %c: tensor<8xf32>, %res: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
  %y = tern.dequantize %r, %s, %c : tensor<?x8xi32>, tensor<?xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %later = arith.addf %res, %res : tensor<?x8xf32>
  %z = linalg.add ins(%y, %later : tensor<?x8xf32>, tensor<?x8xf32>) outs(%res : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %z : tensor<?x8xf32>
}
