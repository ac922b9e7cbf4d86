// ternc --emit=mlir prints the module as imported (parsed and verified), with
// no pass run: the ternarization is still there and nothing is packed. -o
// writes the same text to a file and nothing to stdout. The output parses
// back and round-trips.
// RUN: ternc --emit=mlir %S/Inputs/layer.mlir | FileCheck %s
// RUN: rm -f %t.mlir && ternc --emit=mlir %S/Inputs/layer.mlir -o %t.mlir | count 0
// RUN: FileCheck %s --input-file=%t.mlir
// RUN: ternc --emit=mlir %t.mlir | diff - %t.mlir

// CHECK: module {
// CHECK-NEXT: func.func @layer(%[[X:.*]]: tensor<?x8xf32>, %[[B:.*]]: tensor<3xf32>) -> tensor<?x3xf32> {
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00, 2.500000e-01, 0.000000e+00, 5.000000e-01, 5.000000e-01, -5.000000e-01, -2.500000e-01], {{.*}}]]> : tensor<3x8xf32>
// CHECK-NEXT: %[[T:.*]], %[[G:.*]] = tern.ternarize %[[W]] : tensor<3x8xf32> -> tensor<3x8xi8>, tensor<f32>
// CHECK-NEXT: %[[Y:.*]] = tern.bitlinear %[[X]], %[[T]], %[[G]], %[[B]] : tensor<?x8xf32>, tensor<3x8xi8>, tensor<f32>, tensor<3xf32> -> tensor<?x3xf32>
// CHECK-NEXT: return %[[Y]] : tensor<?x3xf32>
// CHECK-NEXT: }
// CHECK-NEXT: }
