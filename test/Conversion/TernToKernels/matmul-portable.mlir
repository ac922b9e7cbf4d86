// convert-tern-to-kernels=isa=portable with the portable layout (i2 block
// 64 = 4 x 16 bytes): no target intrinsic at all; every k-step widens codes
// (extui) and activations (extsi) of vector<16xi8> to vector<16xi32> and
// multiply-adds them into 2 x 2 vector<16xi32> accumulators.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=portable | FileCheck %s --implicit-check-not=llvm.call_intrinsic --implicit-check-not=llvm.x86

// CHECK-LABEL: func.func @mm
// CHECK: call @tern_matmul_portable_i2_64_lsb({{.*}}) : (!llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, i64) -> ()
// CHECK: bufferization.to_tensor %{{.*}} restrict writable : memref<?x8xi32> to tensor<?x8xi32>

// CHECK-LABEL: llvm.func internal @tern_matmul_portable_i2_64_lsb_task(
// CHECK-NOT: llvm.call @malloc
// CHECK: scf.for %{{.*}} step %c64 iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: %[[PACKED:.*]] = llvm.load %{{.*}} : !llvm.ptr -> vector<16xi8>
// CHECK: arith.constant dense<3> : vector<16xi8>
// CHECK: arith.constant dense<6> : vector<8xi16>
// CHECK: %[[CODE:.*]] = arith.extui %{{.*}} : vector<16xi8> to vector<16xi32>
// CHECK-NEXT: %[[ACT:.*]] = arith.extsi %{{.*}} : vector<16xi8> to vector<16xi32>
// CHECK-NEXT: %[[PROD:.*]] = arith.muli %[[CODE]], %[[ACT]] : vector<16xi32>
// CHECK-NEXT: arith.addi %{{.*}}, %[[PROD]] : vector<16xi32>
// CHECK: vector.reduction <add>, %{{.*}} : vector<16xi32> into i32

// CHECK-LABEL: func.func private @tern_matmul_portable_i2_64_lsb(
// CHECK: arith.constant 63 : i64
// CHECK: llvm.mlir.addressof @__tern_parallel_for
func.func @mm(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>) -> tensor<?x8xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 64>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
  return %r : tensor<?x8xi32>
}
