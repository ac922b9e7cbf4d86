// tern-cuda-lowering-pipeline: a bit-linear layer on packed weights becomes
// host code in the LLVM dialect that launches the quantize and product
// kernels through the runtime's hook (kernel handles from
// __tern_gpu_functions, parameters as an array of pointers), with the PTX and
// the kernels' names left in module attributes for the artifact; device
// memory comes from the generic allocation functions, defined over the
// runtime's allocator. An unknown architecture is rejected.
// RUN: tern-opt %s --tern-cuda-lowering-pipeline=chip=sm_80 | FileCheck %s
// RUN: not tern-opt %s --tern-cuda-lowering-pipeline=chip=sm_70 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK: module attributes {tern.gpu.kernels = ["tern_quantize", "tern_gemv_i2"], tern.gpu.ptx = "//
// CHECK-SAME: .target sm_80
// CHECK-DAG: llvm.mlir.global external @__tern_gpu_functions() {{.*}} : !llvm.array<2 x ptr>
// CHECK-DAG: llvm.mlir.global external @__tern_gpu_launch()
// CHECK-DAG: llvm.func internal @_mlir_memref_to_llvm_aligned_alloc(
// CHECK-LABEL: llvm.func @layer(
// CHECK: llvm.call @_mlir_memref_to_llvm_alloc(
// CHECK: llvm.call %{{[0-9]+}}(%{{[0-9]+}}, {{.*}}) : !llvm.ptr, (!llvm.ptr, i64, i64, i64, i64, i64, i64, i64, !llvm.ptr) -> ()
// CHECK: llvm.call %{{[0-9]+}}(%{{[0-9]+}}, {{.*}}) : !llvm.ptr, (!llvm.ptr, i64, i64, i64, i64, i64, i64, i64, !llvm.ptr) -> ()
// CHECK-NOT: gpu.launch_func
// BAD: tern-cuda-lowering-pipeline: unknown GPU architecture 'sm_70'; expected sm_80 or sm_90
func.func @layer(%x: tensor<1x64xf32>, %w: tensor<8x16xi8>, %s: tensor<f32>) -> tensor<1x8xf32> {
  %y = tern.bitlinear %x, %w, %s {layout = #tern.layout<i2, block = 64>} : tensor<1x64xf32>, tensor<8x16xi8>, tensor<f32> -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}
