// tern-opt --help lists the tern passes with their options, next to upstream
// passes.
// RUN: tern-opt --help | FileCheck %s

// CHECK: --tern-pack-weights
// CHECK-SAME: Pack the constant weights of low-bit matmuls into a layout
// CHECK-NEXT: --layout=<string>
// CHECK-SAME: Target packing layout
