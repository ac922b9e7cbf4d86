// convert-tern-to-kernels=isa=avx2 with the AVX2 layout (i2 block 128 =
// 4 x 32 bytes, the fast path): the kernel decodes 32 packed bytes with
// shifts by 2/4/6 and a mask of 3, keeps 2 x 2 vector<8xi32> accumulators and
// multiplies with vpmaddubsw (llvm.x86.avx2.pmadd.ub.sw, 4 per k-step, summed
// in i16) then vpmaddwd by ones (llvm.x86.avx2.pmadd.wd). No AVX-512.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx2 | FileCheck %s --implicit-check-not=vpdpbusd --implicit-check-not=avx512

// CHECK-LABEL: func.func @mm
// CHECK-SAME: (%[[A:.*]]: tensor<?x512xi8>, %[[W:.*]]: tensor<8x128xi8>)
// CHECK-NOT: tern.matmul
// CHECK: bufferization.to_buffer %[[A]] read_only
// CHECK: bufferization.to_buffer %[[W]] read_only
// CHECK: %[[C:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x8xi32>
// CHECK: call @tern_matmul_avx2_i2_128_lsb({{.*}}) : (!llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, i64) -> ()
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[C]] restrict writable : memref<?x8xi32> to tensor<?x8xi32>
// CHECK: return %[[R]]

// CHECK-LABEL: llvm.func internal @tern_matmul_avx2_i2_128_lsb_task(
// CHECK-NOT: llvm.call @malloc
// CHECK: scf.for %{{.*}} step %c128 iter_args({{.*}}) -> (vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>) {
// CHECK: %[[PACKED:.*]] = llvm.load %{{.*}} : !llvm.ptr -> vector<32xi8>
// CHECK: %[[MASK:.*]] = arith.constant dense<3> : vector<32xi8>
// CHECK: %[[C0:.*]] = arith.andi %[[PACKED]], %[[MASK]] : vector<32xi8>
// CHECK: arith.constant dense<2> : vector<16xi16>
// CHECK: arith.constant dense<4> : vector<16xi16>
// CHECK: arith.constant dense<6> : vector<16xi16>
// CHECK: %[[P0:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%[[C0]], %{{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// CHECK: %[[P1:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK-NEXT: %[[S1:.*]] = arith.addi %[[P0]], %[[P1]] : vector<16xi16>
// CHECK-NEXT: %[[P2:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK-NEXT: %[[S2:.*]] = arith.addi %[[S1]], %[[P2]] : vector<16xi16>
// CHECK-NEXT: %[[P3:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK-NEXT: %[[S3:.*]] = arith.addi %[[S2]], %[[P3]] : vector<16xi16>
// CHECK-NEXT: %[[ONES:.*]] = arith.constant dense<1> : vector<16xi16>
// CHECK-NEXT: %[[WIDE:.*]] = llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%[[S3]], %[[ONES]]) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// CHECK-NEXT: arith.addi %{{.*}}, %[[WIDE]] : vector<8xi32>
// CHECK: vector.reduction <add>, %{{.*}} : vector<8xi32> into i32

// CHECK-LABEL: func.func private @tern_matmul_avx2_i2_128_lsb(
// CHECK-SAME: attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK: arith.constant 127 : i64
// CHECK: llvm.mlir.addressof @__tern_parallel_for
func.func @mm(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>) -> tensor<?x8xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 128>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
  return %r : tensor<?x8xi32>
}
