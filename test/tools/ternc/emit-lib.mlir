// ternc's default output (--emit=lib) is a shared library artifact that
// exports the entry point wrapper, the header and the weights; tern-run
// --list reads its header back and prints the entry point's signature
// (a dynamic first dimension is '?').
// RUN: rm -rf %t && mkdir -p %t
// RUN: ternc --mcpu=haswell %S/Inputs/layer.mlir -o %t/layer.so
// RUN: ternc --emit=lib --mcpu=haswell %S/Inputs/layer.mlir -o %t/layer2.so
// RUN: cmp %t/layer.so %t/layer2.so
// RUN: llvm-nm -D --defined-only %t/layer.so | FileCheck %s --check-prefix=NM
// RUN: llvm-objdump -p %t/layer.so | FileCheck %s --check-prefix=DYN
// RUN: tern-run %t/layer.so --list | FileCheck %s --check-prefix=LIST
// Embedded weights: no sidecar file.
// RUN: not ls %t/layer.so.weights

// NM-DAG: T __tern_entry_layer
// NM-DAG: R __tern_metadata
// NM-DAG: R __tern_weights
// NM-DAG: B __tern_parallel_for
// Linked with -z noexecstack (a non-executable stack segment) and -z now
// (DF_BIND_NOW = 0x8, DF_1_NOW = 0x1).
// DYN: STACK off
// DYN-NEXT: flags rw-{{$}}
// DYN: Dynamic Section:
// DYN-NEXT: FLAGS 0x0000000000000008
// DYN-NEXT: FLAGS_1 0x0000000000000001
// LIST: {{^}}layer(f32[?, 8], f32[3]) -> (f32[?, 3]){{$}}

// A module with two entry points of other element types and ranks.
// RUN: ternc --mcpu=haswell %s -o %t/two.so
// RUN: tern-run %t/two.so --list | FileCheck %s --check-prefix=TWO
// TWO: {{^}}norm(f32[2, 4], f32[4]) -> (f32[2, 4]){{$}}
// TWO-NEXT: {{^}}quant(f16[?, 16]) -> (i8[?, 16], f32[?]){{$}}
// TWO-NOT: helper
func.func @norm(%x: tensor<2x4xf32>, %g: tensor<4xf32>) -> tensor<2x4xf32> {
  %y = tern.rms_norm %x, %g : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  %z = call @helper(%y) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %z : tensor<2x4xf32>
}
func.func @quant(%x: tensor<?x16xf16>) -> (tensor<?x16xi8>, tensor<?xf32>) {
  %q, %s = tern.quantize %x : tensor<?x16xf16> -> tensor<?x16xi8>, tensor<?xf32>
  return %q, %s : tensor<?x16xi8>, tensor<?xf32>
}
func.func private @helper(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %g = arith.constant dense<2.0> : tensor<4xf32>
  %y = tern.rms_norm %x, %g : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
