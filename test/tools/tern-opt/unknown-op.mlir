// An unknown tern op is a clear parse error, not a crash.
// RUN: not tern-opt %s 2>&1 | FileCheck %s

// CHECK: error: custom op 'tern.frobnicate' is unknown
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = tern.frobnicate %x : tensor<2xf32>
  return %y : tensor<2xf32>
}
