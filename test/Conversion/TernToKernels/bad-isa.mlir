// convert-tern-to-kernels rejects an isa it does not know, naming it and the
// ones it knows, and lowers nothing; tern-opt exits non-zero.
// RUN: not tern-opt %s --convert-tern-to-kernels=isa=sse4 2>&1 | FileCheck %s --check-prefix=SSE4 --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit"
// RUN: not tern-opt %s --convert-tern-to-kernels=isa= 2>&1 | FileCheck %s --check-prefix=EMPTY --implicit-check-not="Stack dump" --implicit-check-not="PLEASE submit"
// RUN: not tern-opt %s --convert-tern-to-kernels=isa=AVX2 2>&1 | FileCheck %s --check-prefix=CASE
// RUN: tern-opt %s -verify-diagnostics --convert-tern-to-kernels=isa=avx512
// Without the option the kernels are portable.
// RUN: tern-opt %s --convert-tern-to-kernels | FileCheck %s --check-prefix=DEFAULT

// SSE4: error: convert-tern-to-kernels: unknown isa 'sse4'; expected avx512vnni, avx2, portable, neon, dotprod or i8mm
// SSE4-NOT: tern_matmul_
// EMPTY: error: convert-tern-to-kernels: unknown isa ''; expected avx512vnni, avx2, portable, neon, dotprod or i8mm
// CASE: error: convert-tern-to-kernels: unknown isa 'AVX2'; expected avx512vnni, avx2, portable, neon, dotprod or i8mm
// DEFAULT: call @tern_matmul_portable_i2_256_lsb(
// expected-error @below {{convert-tern-to-kernels: unknown isa 'avx512'; expected avx512vnni, avx2, portable, neon, dotprod or i8mm}}
module {
  func.func @mm(%a: tensor<?x512xi8>, %w: tensor<8x128xi8>) -> tensor<?x8xi32> {
    %r = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x512xi8>, tensor<8x128xi8> -> tensor<?x8xi32>
    return %r : tensor<?x8xi32>
  }
}
