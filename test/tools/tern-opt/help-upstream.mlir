// tern-opt registers every upstream pass, so ternc's pipelines replay.
// RUN: tern-opt --help | FileCheck %s

// CHECK-DAG: --one-shot-bufferize
// CHECK-DAG: --convert-linalg-to-loops
// CHECK-DAG: --convert-vector-to-llvm
// CHECK-DAG: --finalize-memref-to-llvm
// CHECK-DAG: --canonicalize
