// tern-opt --help lists the tern passes with their options, next to upstream
// passes.
// RUN: tern-opt --help | FileCheck %s

// CHECK: --tern-pack-weights
// CHECK-SAME: Pack the constant weights of low-bit matmuls into a layout
// CHECK-NEXT: --binary-layout=<string>
// CHECK-SAME: Target packing layout of binary weights
// CHECK-NEXT: --layout=<string>
// CHECK-SAME: Target packing layout
