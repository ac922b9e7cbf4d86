// A module without a public function has nothing to compile: ternc says so,
// exits non-zero without a crash and writes no artifact. Private functions
// and function declarations do not count.
// RUN: rm -f %t.so
// RUN: not ternc %s -o %t.so 2>&1 | FileCheck %s --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit"
// RUN: not ls %t.so
// An empty file too.
// RUN: echo "" > %t.empty.mlir
// RUN: not ternc %t.empty.mlir -o %t.so 2>&1 | FileCheck %s
// RUN: not ls %t.so

// CHECK: error: the module has no public function to compile
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func private @external(%x: tensor<4xf32>) -> tensor<4xf32>
