// The dialect reference is generated from ODS at build time into
// <build>/docs and documents every op, attribute and the pass.
// RUN: FileCheck %s --input-file=%tern_obj_root/docs/TernDialect.md
// RUN: FileCheck %s --check-prefix=PASS --input-file=%tern_obj_root/docs/TernPasses.md

// CHECK-DAG: ### `tern.ternarize`
// CHECK-DAG: ### `tern.binarize`
// CHECK-DAG: ### `tern.quantize`
// CHECK-DAG: ### `tern.dequantize`
// CHECK-DAG: ### `tern.pack`
// CHECK-DAG: ### `tern.unpack`
// CHECK-DAG: ### `tern.matmul`
// CHECK-DAG: ### `tern.bitlinear`
// CHECK-DAG: ### `tern.rms_norm`
// CHECK-DAG: ### `tern.rope`
// CHECK-DAG: ### `tern.attention`
// CHECK-DAG: ### KindAttr
// CHECK-DAG: ### ScaleAttr
// CHECK-DAG: ### LayoutAttr
// CHECK-DAG: round_half_even

// PASS: ### `-tern-pack-weights`
// PASS: -layout
