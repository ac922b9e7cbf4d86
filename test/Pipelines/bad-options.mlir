// The registered pipelines reject a bad isa before running anything.
// RUN: not tern-opt %s --tern-transform-pipeline=isa=bogus 2>&1 | FileCheck %s
// CHECK: tern-transform-pipeline: unknown isa 'bogus'; expected avx512vnni, avx2, portable, neon, dotprod or i8mm
func.func @f() {
  return
}
