// --print-ir-after-all prints the whole module after every pass of both
// pipelines on stderr ("IR Dump After <pass>"), in pipeline order, and
// still writes the requested output; --emit=tern stops after the transform
// pipeline's three passes.
// RUN: ternc --print-ir-after-all --emit=tern --mcpu=haswell %S/Inputs/layer.mlir -o %t.tern.mlir 2>&1 | FileCheck %s --check-prefix=TERN
// RUN: FileCheck %s --input-file=%t.tern.mlir --check-prefix=OUT
// RUN: ternc --print-ir-after-all --mcpu=haswell %S/Inputs/layer.mlir -o %t.so 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: tern-run %t.so --list | FileCheck %s --check-prefix=LIST

// TERN: // -----// IR Dump After Canonicalizer (canonicalize) ('builtin.module' operation) //----- //
// TERN-NEXT: module {
// The canonicalizer already folded the ternarization into trits and gamma.
// TERN: arith.constant dense<{{\[\[}}1, -1, 0, 0, 1, 1, -1, 0], [1, 1, -1, 0, 1, -1, 0, 0], [0, 0, 1, 1, -1, -1, 0, 0]]> : tensor<3x8xi8>
// TERN: arith.constant dense<5.000000e-01> : tensor<f32>
// TERN: // -----// IR Dump After PackWeightsPass (tern-pack-weights) ('builtin.module' operation) //----- //
// TERN: {layout = #tern.layout<i2, block = 128, rows = 4>}
// TERN: // -----// IR Dump After CSE (cse) ('builtin.module' operation) //----- //
// TERN-NOT: IR Dump After
// OUT: tern.bitlinear {{.*}} {layout = #tern.layout<i2, block = 128, rows = 4>}

// ALL: IR Dump After Canonicalizer (canonicalize)
// ALL: IR Dump After PackWeightsPass (tern-pack-weights)
// ALL: IR Dump After CSE (cse)
// ALL: IR Dump After ConvertTernToKernelsPass (convert-tern-to-kernels)
// ALL: IR Dump After ConvertTernToLinalgPass (convert-tern-to-linalg)
// ALL: IR Dump After OneShotBufferizePass (one-shot-bufferize)
// ALL: IR Dump After OutlineWeightsPass (tern-outline-weights)
// ALL: IR Dump After ConvertLinalgToLoopsPass (convert-linalg-to-loops)
// ALL: IR Dump After FinalizeMemRefToLLVMConversionPass (finalize-memref-to-llvm)
// ALL: IR Dump After ConvertFuncToLLVMPass (convert-func-to-llvm)
// ALL: IR Dump After ReconcileUnrealizedCastsPass (reconcile-unrealized-casts)
// ALL-NEXT: module attributes {tern.weights = dense_resource<tern_weights> : tensor<160xi8>} {
// ALL-NOT: IR Dump After
// LIST: layer(f32[?, 8], f32[3]) -> (f32[?, 3])
