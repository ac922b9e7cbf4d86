// A syntax error in the input: ternc reports it at its file, line and column
// with the offending source line, exits non-zero without a crash and writes
// no output. A module that parses but does not verify is reported the same
// way (see the second RUN line's input, made by removing the error).
// RUN: rm -f %t.so
// RUN: not ternc %s -o %t.so 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit"
// RUN: not ls %t.so
// RUN: sed -e 's/tensor<4xf32$/tensor<4xf32>/' -e 's/-> tensor<4xf32> {$/-> tensor<5xf32> {/' %s > %t.verify.mlir
// RUN: not ternc %t.verify.mlir -o %t.so 2>&1 | FileCheck %s --check-prefix=VERIFY -DFILE=%t.verify.mlir --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit"

// CHECK: parse-error.mlir:[[# @LINE + 5]]:40: error: expected '>' in tensor type
// CHECK-NEXT: %y = arith.addf %x, %x : tensor<4xf32
// CHECK-NEXT: {{^ +}}^
// VERIFY: [[FILE]]:[[# @LINE + 3]]:3: error: type of return operand 0 ('tensor<4xf32>') doesn't match function result type ('tensor<5xf32>') in function @f
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = arith.addf %x, %x : tensor<4xf32
  return %y : tensor<4xf32>
}
