// convert-tern-to-linalg lowers tern.rms_norm to three linalg.generic ops:
// sum_k x^2 (a row reduction from 0.0), inverse = 1 / sqrt(sum / K + eps)
// per row, and y = (x * inverse) * weight[k]. K is a constant when static
// (8.0 here) and tensor.dim -> index_cast -> sitofp when dynamic.
// RUN: tern-opt %s --convert-tern-to-linalg | FileCheck %s

// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @rms
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[G:.*]]: tensor<8xf32>) -> tensor<?x8xf32>
// CHECK-NOT: tern.rms_norm
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999997E-7 : f32
// CHECK-DAG: %[[K:.*]] = arith.constant 8.000000e+00 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<?xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x8xf32>) outs(%[[FILL]] : tensor<?xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[IN]], %[[IN]] : f32
// CHECK-NEXT: %[[ACC:.*]] = arith.addf %[[OUT]], %[[SQ]] : f32
// CHECK-NEXT: linalg.yield %[[ACC]] : f32
// CHECK: %[[INV:.*]] = linalg.generic {indexing_maps = [#[[ID1]], #[[ID1]]], iterator_types = ["parallel"]} ins(%[[SUM]] : tensor<?xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[MEAN:.*]] = arith.divf %[[IN]], %[[K]] : f32
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[MEAN]], %[[EPS]] : f32
// CHECK-NEXT: %[[ROOT:.*]] = math.sqrt %[[ADD]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[ONE]], %[[ROOT]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[COL]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[INV]], %[[G]] : tensor<?x8xf32>, tensor<?xf32>, tensor<8xf32>) outs(%{{.*}} : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[I:.*]]: f32, %[[W:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[A:.*]] = arith.mulf %[[IN]], %[[I]] : f32
// CHECK-NEXT: %[[B:.*]] = arith.mulf %[[A]], %[[W]] : f32
// CHECK-NEXT: linalg.yield %[[B]] : f32
// CHECK: return %[[Y]] : tensor<?x8xf32>
func.func @rms(%x: tensor<?x8xf32>, %g: tensor<8xf32>) -> tensor<?x8xf32> {
  %y = tern.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// A dynamic K is read at run time; the default epsilon is 1e-5.
// CHECK-LABEL: func.func @rms_dyn_k
// CHECK-SAME: (%[[X:.*]]: tensor<4x?xf32>, %[[G:.*]]: tensor<?xf32>)
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x?xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %[[C1]] : tensor<4x?xf32>
// CHECK: %[[DI:.*]] = arith.index_cast %[[D]] : index to i64
// CHECK: %[[K:.*]] = arith.sitofp %[[DI]] : i64 to f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[MEAN:.*]] = arith.divf %[[IN]], %[[K]] : f32
// CHECK-NEXT: arith.addf %[[MEAN]], %[[EPS]] : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[COL]], #[[ID2]]], {{.*}} ins(%[[X]], %{{.*}}, %[[G]] : tensor<4x?xf32>, tensor<4xf32>, tensor<?xf32>) outs(%{{.*}} : tensor<4x?xf32>)
func.func @rms_dyn_k(%x: tensor<4x?xf32>, %g: tensor<?xf32>) -> tensor<4x?xf32> {
  %y = tern.rms_norm %x, %g : tensor<4x?xf32>, tensor<?xf32> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}
