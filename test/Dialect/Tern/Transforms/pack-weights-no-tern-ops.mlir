// tern-pack-weights on a module without tern ops loads what it needs and
// leaves the module as it is.
// RUN: tern-opt %s --tern-pack-weights | FileCheck %s
// CHECK-LABEL: func.func @f
// CHECK-NEXT: return
func.func @f() {
  return
}
