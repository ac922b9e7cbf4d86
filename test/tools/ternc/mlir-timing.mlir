// --mlir-timing prints one execution time report on stderr: ternc's phases
// (the pass pipelines nested, then LLVM translation, machine code, link),
// and still writes the artifact.
// RUN: ternc --mlir-timing --mcpu=haswell %S/Inputs/layer.mlir -o %t.so 2>&1 | FileCheck %s
// RUN: tern-run %t.so --list | FileCheck %s --check-prefix=LIST

// CHECK: ... Execution time report ...
// CHECK: tern-transform-pipeline
// CHECK: PackWeightsPass
// CHECK: tern-cpu-lowering-pipeline
// CHECK: ConvertTernToKernelsPass
// CHECK: ConvertTernToLinalgPass
// CHECK: OneShotBufferizePass
// CHECK: OutlineWeightsPass
// CHECK: ReconcileUnrealizedCastsPass
// CHECK: translate and optimize LLVM IR
// CHECK: machine code
// CHECK: link
// CHECK: Total
// CHECK-NOT: Execution time report
// LIST: layer(f32[?, 8], f32[3]) -> (f32[?, 3])
