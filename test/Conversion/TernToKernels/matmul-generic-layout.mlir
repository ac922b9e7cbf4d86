// Layouts other than the isa's fast i2 layout (i2 with block = 4 x vector
// bytes) take the generic path: the kernel's name encodes isa, encoding,
// block and bit order, and its task malloc's a scratch of NR rows x kpad
// bytes, decodes each weight row into codes (w + 1; 1 past k) there with
// scalar code, reads the codes back as vectors and frees the scratch.
// RUN: tern-opt %s -split-input-file --convert-tern-to-kernels=isa=avx512vnni | FileCheck %s --check-prefix=B3
// RUN: tern-opt %s -split-input-file --convert-tern-to-kernels=isa=avx2 | FileCheck %s --check-prefix=I1
// RUN: tern-opt %s -split-input-file --convert-tern-to-kernels=isa=portable | FileCheck %s --check-prefix=PORT

// b3 (TQ1_0, 5 trits a byte): code = ((byte * 3^group) & 255) * 3 >> 8, with
// 3^group selected from 1, 3, 9, 27, 81. NR = 4 on AVX-512, so the scratch
// is 4 * kpad bytes.
// B3-LABEL: func.func @b3
// B3: call @tern_matmul_avx512vnni_b3_5(
// B3-LABEL: llvm.func internal @tern_matmul_avx512vnni_b3_5_task(
// B3: arith.muli %c4_i64{{(_[0-9]+)?}}, %{{.*}} : i64
// B3: %[[SCRATCH:.*]] = llvm.call @malloc(%{{.*}}) : (i64) -> !llvm.ptr
// B3: %[[IN:.*]] = arith.cmpi slt, %{{.*}}, %{{.*}} : i64
// B3-NEXT: %{{.*}} = scf.if %[[IN]] -> (i8) {
// B3: arith.constant 5 : i64
// B3: arith.constant 81 : i32
// B3: %[[Q:.*]] = arith.andi %{{.*}}, %{{.*}} : i32
// B3-NEXT: %[[C3:.*]] = arith.constant 3 : i32
// B3-NEXT: %[[Q3:.*]] = arith.muli %[[Q]], %[[C3]] : i32
// B3-NEXT: %[[C8:.*]] = arith.constant 8 : i32
// B3-NEXT: %[[CODE:.*]] = arith.shrui %[[Q3]], %[[C8]] : i32
// B3-NEXT: %[[CODE8:.*]] = arith.trunci %[[CODE]] : i32 to i8
// B3-NEXT: scf.yield %[[CODE8]] : i8
// B3-NEXT: } else {
// B3-NEXT: %[[ONE:.*]] = arith.constant 1 : i8
// B3-NEXT: scf.yield %[[ONE]] : i8
// B3: llvm.load %{{.*}} : !llvm.ptr -> vector<64xi8>
// B3: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// B3: llvm.call @free(%[[SCRATCH]]) : (!llvm.ptr) -> ()
// B3-NEXT: llvm.return
// B3-LABEL: func.func private @tern_matmul_avx512vnni_b3_5(
func.func @b3(%a: tensor<3x13xi8>, %w: tensor<5x3xi8>) -> tensor<3x5xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<b3, block = 5>} : tensor<3x13xi8>, tensor<5x3xi8> -> tensor<3x5xi32>
  return %r : tensor<3x5xi32>
}

// -----

// i1 (Q1_0 bits), msb first: bit = (byte >> (7 - group)) & 1, code = 2 * bit.
// NR = 2 on AVX2.
// I1-LABEL: func.func @i1
// I1: call @tern_matmul_avx2_i1_128_msb(
// I1-LABEL: llvm.func internal @tern_matmul_avx2_i1_128_msb_task(
// I1: arith.muli %c2_i64{{(_[0-9]+)?}}, %{{.*}} : i64
// I1: %[[SCRATCH:.*]] = llvm.call @malloc(%{{.*}}) : (i64) -> !llvm.ptr
// I1: scf.if %{{.*}} -> (i8) {
// I1: arith.constant 128 : i64
// I1: arith.constant 16 : i64
// I1: %[[C7:.*]] = arith.constant 7 : i32
// I1-NEXT: %[[SHIFT:.*]] = arith.subi %[[C7]], %{{.*}} : i32
// I1-NEXT: %[[SH:.*]] = arith.shrui %{{.*}}, %[[SHIFT]] : i32
// I1-NEXT: %[[ONE:.*]] = arith.constant 1 : i32
// I1-NEXT: %[[BIT:.*]] = arith.andi %[[SH]], %[[ONE]] : i32
// I1-NEXT: %[[TWO:.*]] = arith.constant 2 : i32
// I1-NEXT: arith.muli %[[BIT]], %[[TWO]] : i32
// I1: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// I1: llvm.call @free(%[[SCRATCH]]) : (!llvm.ptr) -> ()
// I1-NEXT: llvm.return
// I1-LABEL: func.func private @tern_matmul_avx2_i1_128_msb(
func.func @i1(%a: tensor<2x200xi8>, %w: tensor<4x32xi8>) -> tensor<2x4xi32> {
  %r = tern.matmul %a, %w {kind = #tern.kind<binary>, layout = #tern.layout<i1, block = 128, msb>} : tensor<2x200xi8>, tensor<4x32xi8> -> tensor<2x4xi32>
  return %r : tensor<2x4xi32>
}

// -----

// Unpacked i8 weights are clamped to [-1, 1] before the + 1; an i2 layout
// whose block is not the fast one (4 here, not 64) also goes through scratch.
// Two layouts in one module: two kernels, one set of runtime declarations.
// PORT: {{^}}// {{-----}}
// PORT: {{^}}// {{-----}}
// PORT-NEXT: module {
// PORT: llvm.func @malloc(i64) -> !llvm.ptr
// PORT: llvm.func @free(!llvm.ptr)
// PORT: llvm.mlir.global external @__tern_parallel_for()
// PORT-NOT: llvm.func @malloc
// PORT-NOT: llvm.func @free
// PORT-NOT: @__tern_parallel_for()
// PORT-LABEL: func.func @unpacked
// PORT: call @tern_matmul_portable_i8_1(
// PORT-LABEL: func.func @i2_block4
// PORT: call @tern_matmul_portable_i2_4_lsb(
// PORT-LABEL: llvm.func internal @tern_matmul_portable_i8_1_task(
// PORT: %[[SCRATCH:.*]] = llvm.call @malloc(
// PORT: scf.if %{{.*}} -> (i8) {
// PORT: %[[W:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i8
// PORT-NEXT: %[[LO:.*]] = arith.constant -1 : i8
// PORT-NEXT: %[[HI:.*]] = arith.constant 1 : i8
// PORT-NEXT: %[[A:.*]] = arith.maxsi %[[W]], %[[LO]] : i8
// PORT-NEXT: %[[B:.*]] = arith.minsi %[[A]], %[[HI]] : i8
// PORT-NEXT: %[[CODE:.*]] = arith.addi %[[B]], %[[HI]] : i8
// PORT-NEXT: scf.yield %[[CODE]] : i8
// PORT: llvm.call @free(%[[SCRATCH]])
// PORT-LABEL: func.func private @tern_matmul_portable_i8_1(
// PORT-LABEL: llvm.func internal @tern_matmul_portable_i2_4_lsb_task(
// PORT: %[[SCRATCH:.*]] = llvm.call @malloc(
// PORT: llvm.call @free(%[[SCRATCH]])
// PORT-LABEL: func.func private @tern_matmul_portable_i2_4_lsb(
func.func @unpacked(%a: tensor<2x20xi8>, %w: tensor<4x20xi8>) -> tensor<2x4xi32> {
  %r = tern.matmul %a, %w : tensor<2x20xi8>, tensor<4x20xi8> -> tensor<2x4xi32>
  return %r : tensor<2x4xi32>
}
func.func @i2_block4(%a: tensor<2x20xi8>, %w: tensor<4x5xi8>) -> tensor<2x4xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 4>} : tensor<2x20xi8>, tensor<4x5xi8> -> tensor<2x4xi32>
  return %r : tensor<2x4xi32>
}
