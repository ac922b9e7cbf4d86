// convert-tern-to-kernels=isa=avx512vnni: a tern.matmul on tensors becomes
// two read-only bufferization.to_buffer views, a 64-byte aligned memref.alloc
// of the i32 result, a func.call of the generated kernel
// @tern_matmul_avx512vnni_i2_256_lsb(a, lda, w, ldw, c, ldc, m, n, k) and a
// restrict writable bufferization.to_tensor. The kernel (i2 block 256 = 4 x 64
// bytes, the fast path) decodes packed bytes in registers with 16-bit shifts
// by 0/2/4/6 and a mask of 3, keeps 4 x 4 vector<16xi32> accumulators and
// multiplies with llvm.x86.avx512.vpdpbusd.512; it runs its task through the
// __tern_parallel_for hook when the runtime set one, else serially.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx512vnni | FileCheck %s
// Only the kernel's two buffers (padded activations, row sums) are malloc'd:
// the fast path needs no scratch for decoded weights.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx512vnni | grep -c "llvm.call @malloc" | FileCheck %s --check-prefix=MALLOCS
// MALLOCS: {{^}}2{{$}}

// Runtime declarations at the top of the module.
// CHECK: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK: llvm.func @free(!llvm.ptr)
// CHECK: llvm.mlir.global external @__tern_parallel_for() {addr_space = 0 : i32} : !llvm.ptr {
// CHECK-NEXT: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-NEXT: llvm.return %[[NULL]] : !llvm.ptr

// CHECK-LABEL: func.func @mm
// CHECK-SAME: (%[[A:.*]]: tensor<?x512xi8>, %[[W:.*]]: tensor<8x128xi8>) -> tensor<?x8xi32>
// CHECK-NOT: tern.matmul
// CHECK: %[[AB:.*]] = bufferization.to_buffer %[[A]] read_only : tensor<?x512xi8> to memref<?x512xi8, strided<[?, 1], offset: ?>>
// CHECK: %[[WB:.*]] = bufferization.to_buffer %[[W]] read_only : tensor<8x128xi8> to memref<8x128xi8, strided<[?, 1], offset: ?>>
// CHECK: %[[M:.*]] = memref.dim %[[AB]], %{{.*}} : memref<?x512xi8, strided<[?, 1], offset: ?>>
// CHECK: %[[C:.*]] = memref.alloc(%[[M]]) {alignment = 64 : i64} : memref<?x8xi32>
// CHECK: memref.extract_aligned_pointer_as_index %[[AB]]
// CHECK: %[[APTR:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: %[[LDA:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: memref.extract_aligned_pointer_as_index %[[WB]]
// CHECK: %[[WPTR:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// CHECK: %[[LDW:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: memref.extract_aligned_pointer_as_index %[[C]]
// CHECK: %[[CPTR:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i32
// CHECK: %[[LDC:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[DM:.*]] = memref.dim %[[AB]], %{{.*}} : memref<?x512xi8, strided<[?, 1], offset: ?>>
// CHECK: %[[MI:.*]] = arith.index_cast %[[DM]] : index to i64
// CHECK: %[[DN:.*]] = memref.dim %[[WB]], %{{.*}} : memref<8x128xi8, strided<[?, 1], offset: ?>>
// CHECK: %[[NI:.*]] = arith.index_cast %[[DN]] : index to i64
// CHECK: %[[DK:.*]] = memref.dim %[[AB]], %{{.*}} : memref<?x512xi8, strided<[?, 1], offset: ?>>
// CHECK: %[[KI:.*]] = arith.index_cast %[[DK]] : index to i64
// CHECK: call @tern_matmul_avx512vnni_i2_256_lsb(%[[APTR]], %[[LDA]], %[[WPTR]], %[[LDW]], %[[CPTR]], %[[LDC]], %[[MI]], %[[NI]], %[[KI]]) : (!llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr, i64, i64, i64, i64) -> ()
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[C]] restrict writable : memref<?x8xi32> to tensor<?x8xi32>
// CHECK: return %[[R]] : tensor<?x8xi32>

// The task: packed weights decoded in registers (no scratch buffer), 16
// accumulators, one k-step of 256 bytes.
// CHECK-LABEL: llvm.func internal @tern_matmul_avx512vnni_i2_256_lsb_task(%{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CHECK-NOT: llvm.call @malloc
// CHECK: scf.for %{{.*}} step %c256 iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>) {
// CHECK: %[[PACKED:.*]] = llvm.load %{{.*}} {alignment = 1 : i64} : !llvm.ptr -> vector<64xi8>
// CHECK: %[[MASK:.*]] = arith.constant dense<3> : vector<64xi8>
// CHECK: arith.andi %[[PACKED]], %[[MASK]] : vector<64xi8>
// CHECK: %[[WORDS:.*]] = vector.bitcast %[[PACKED]] : vector<64xi8> to vector<32xi16>
// CHECK: %[[S2:.*]] = arith.constant dense<2> : vector<32xi16>
// CHECK: arith.shrui %[[WORDS]], %[[S2]] : vector<32xi16>
// CHECK: %[[S4:.*]] = arith.constant dense<4> : vector<32xi16>
// CHECK: arith.shrui %{{.*}}, %[[S4]] : vector<32xi16>
// CHECK: %[[S6:.*]] = arith.constant dense<6> : vector<32xi16>
// CHECK: arith.shrui %{{.*}}, %[[S6]] : vector<32xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK: vector.reduction <add>, %{{.*}} : vector<16xi32> into i32
// CHECK-NOT: llvm.call @free
// CHECK: llvm.return

// The kernel: private, internal linkage; kpad = (k + 255) / 256 * 256.
// CHECK-LABEL: func.func private @tern_matmul_avx512vnni_i2_256_lsb(
// CHECK-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %[[K:.*]]: i64) attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK: %[[C255:.*]] = arith.constant 255 : i64
// CHECK: arith.addi %[[K]], %[[C255]] : i64
// CHECK: %[[APAD:.*]] = llvm.call @malloc(%{{.*}}) : (i64) -> !llvm.ptr
// CHECK: %[[ASUM:.*]] = llvm.call @malloc(%{{.*}}) : (i64) -> !llvm.ptr
// CHECK: %[[CLOSURE:.*]] = llvm.alloca %{{.*}} x i64 : (i64) -> !llvm.ptr
// CHECK: %[[HOOKADDR:.*]] = llvm.mlir.addressof @__tern_parallel_for : !llvm.ptr
// CHECK: %[[HOOK:.*]] = llvm.load %[[HOOKADDR]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[SERIAL:.*]] = llvm.icmp "eq" %[[HOOK]], %{{.*}} : !llvm.ptr
// CHECK: scf.if %[[SERIAL]] {
// CHECK: llvm.call @tern_matmul_avx512vnni_i2_256_lsb_task(%[[CLOSURE]], %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, i64) -> ()
// CHECK: } else {
// CHECK: %[[TASK:.*]] = llvm.mlir.addressof @tern_matmul_avx512vnni_i2_256_lsb_task : !llvm.ptr
// CHECK: llvm.call %[[HOOK]](%[[TASK]], %[[CLOSURE]], %{{.*}}) : !llvm.ptr, (!llvm.ptr, !llvm.ptr, i64) -> ()
// CHECK: llvm.call @free(%[[APAD]]) : (!llvm.ptr) -> ()
// CHECK: llvm.call @free(%[[ASUM]]) : (!llvm.ptr) -> ()
// CHECK: return
func.func @mm(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>) -> tensor<?x8xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
  return %r : tensor<?x8xi32>
}
