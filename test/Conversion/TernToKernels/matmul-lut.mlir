// The lookup-table layout lut:4:rows=16 on AVX-512 and AVX2: the kernel
// builds one 16-entry table pair (low and high bytes of int16 sums) per pair
// of activations and token, then per step of 16 rows x `lanes` blocks looks
// the low and high nibbles up with vpshufb (4 per step), joins low and high
// bytes into int16 with byte shuffles (the unpack instructions), and widens
// the int16 sums to i32 every 64 steps. Other lut layouts, and portable code,
// decode to codes through scratch (matmul-generic-layout.mlir's path).
// RUN: tern-opt %s -split-input-file --convert-tern-to-kernels=isa=avx512vnni | FileCheck %s --check-prefix=Z
// RUN: tern-opt %s -split-input-file --convert-tern-to-kernels=isa=avx2 | FileCheck %s --check-prefix=Y
// RUN: tern-opt %s -split-input-file --convert-tern-to-kernels=isa=portable | FileCheck %s --check-prefix=PORT

// Z-LABEL: func.func @lut
// Z: call @tern_matmul_avx512vnni_lut_4_r16(
// Z-LABEL: llvm.func internal @tern_matmul_avx512vnni_lut_4_r16_task(
// Z-NOT: llvm.call @malloc
// Z: arith.constant 64 : index
// Z: scf.for {{.*}} -> (vector<32xi16>, vector<32xi16>)
// Z: llvm.intr.prefetch
// Z-COUNT-4: llvm.call_intrinsic "llvm.x86.avx512.pshuf.b.512"({{.*}}) : (vector<64xi8>, vector<64xi8>) -> vector<64xi8>
// Z: vector.shuffle {{.*}} [0, 64, 1, 65, 2, 66, 3, 67, 4, 68, 5, 69, 6, 70, 7, 71, 16, 80,
// Z: arith.extsi {{.*}} : vector<32xi16> to vector<32xi32>
// Z: vector.from_elements {{.*}} : vector<16xi32>
// Z-LABEL: func.func private @tern_matmul_avx512vnni_lut_4_r16(
// Z: llvm.call @malloc
// Z: vector.broadcast {{.*}} : i16 to vector<16xi16>
// Z: arith.shrsi {{.*}} : vector<16xi16>
// Z: llvm.mlir.addressof @__tern_parallel_for

// Y-LABEL: llvm.func internal @tern_matmul_avx2_lut_4_r16_task(
// Y: scf.for {{.*}} -> (vector<16xi16>, vector<16xi16>)
// Y-COUNT-4: llvm.call_intrinsic "llvm.x86.avx2.pshuf.b"({{.*}}) : (vector<32xi8>, vector<32xi8>) -> vector<32xi8>

// PORT-LABEL: llvm.func internal @tern_matmul_portable_lut_4_r16_task(
// PORT: llvm.call @malloc
// PORT-NOT: pshuf
func.func @lut(%a: tensor<3x100xi8>, %w: tensor<40x25xi8>) -> tensor<3x40xi32> {
  %r = tern.matmul %a, %w {layout = #tern.layout<lut, rows = 16>} : tensor<3x100xi8>, tensor<40x25xi8> -> tensor<3x40xi32>
  return %r : tensor<3x40xi32>
}
