// Entry points (public functions) exchange ranked tensors with the runtime;
// ternc refuses any other argument or result type before lowering, naming the
// argument's or result's index and type and the function (by location), and
// reports every offending function. A private helper may take anything.
// RUN: rm -f %t.so
// RUN: not ternc %s -o %t.so 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit"
// RUN: not ls %t.so

// CHECK: non-tensor-arg.mlir:[[# @LINE + 1]]:1: error: entry point argument #1 has type 'i64'; entry points take ranked tensors of f16, bf16, f32, f64, i1, i8, i16, i32 or i64
func.func @scalar(%x: tensor<4xf32>, %n: i64) -> tensor<4xf32> {
  %y = call @helper(%x, %n) : (tensor<4xf32>, i64) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK: non-tensor-arg.mlir:[[# @LINE + 1]]:1: error: entry point argument #0 has type 'memref<4xf32>'; entry points take ranked tensors
func.func @buffer(%m: memref<4xf32>) {
  return
}

// CHECK: non-tensor-arg.mlir:[[# @LINE + 1]]:1: error: entry point argument #0 has type 'tensor<*xf32>'; entry points take ranked tensors
func.func @unranked(%x: tensor<*xf32>) {
  return
}

// CHECK: non-tensor-arg.mlir:[[# @LINE + 1]]:1: error: entry point argument #0 has type 'tensor<4xi4>'; entry points take ranked tensors of f16, bf16, f32, f64, i1, i8, i16, i32 or i64
func.func @nibbles(%x: tensor<4xi4>) {
  return
}

// CHECK: non-tensor-arg.mlir:[[# @LINE + 1]]:1: error: entry point result #0 has type 'f32'; entry points return ranked tensors
func.func @result(%x: tensor<4xf32>) -> f32 {
  %c = arith.constant 1.0 : f32
  return %c : f32
}

// The private helper is not an entry point: no error for it.
// CHECK-NOT: error:
func.func private @helper(%x: tensor<4xf32>, %n: i64) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
