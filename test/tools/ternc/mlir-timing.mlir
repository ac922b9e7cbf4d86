// --mlir-timing (from MLIR's pass manager options) prints one execution time
// report per pipeline on stderr, the transform pipeline's then the CPU
// lowering's, and still writes the artifact.
// RUN: ternc --mlir-timing --mcpu=haswell %S/Inputs/layer.mlir -o %t.so 2>&1 | FileCheck %s
// RUN: tern-run %t.so --list | FileCheck %s --check-prefix=LIST

// CHECK: ... Execution time report ...
// CHECK: PackWeightsPass
// CHECK: Total
// CHECK: ... Execution time report ...
// CHECK: ConvertTernToLinalgPass
// CHECK: ConvertTernToKernelsPass
// CHECK: OneShotBufferizePass
// CHECK: OutlineWeightsPass
// CHECK: ReconcileUnrealizedCastsPass
// CHECK: Total
// CHECK-NOT: Execution time report
// LIST: layer(f32[?, 8], f32[3]) -> (f32[?, 3])
