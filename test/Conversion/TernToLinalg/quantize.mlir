// convert-tern-to-linalg lowers tern.quantize to three linalg.generic ops:
// a row reduction m = max_k |x| (from 0.0), a per-row op computing
// 127 / max(m, epsilon) and max(m, epsilon) / 127, and an element-wise op
// q = fptosi(clamp(roundeven(x * inverse), -128, 127)). f16 inputs are
// extended to f32 first; dynamic rows come from tensor.dim.
// RUN: tern-opt %s --convert-tern-to-linalg | FileCheck %s

// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>

// CHECK-LABEL: func.func @quantize
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>) -> (tensor<4x8xi8>, tensor<4xf32>)
// CHECK-NOT: tern.quantize
// CHECK-DAG: %[[LO:.*]] = arith.constant -1.280000e+02 : f32
// CHECK-DAG: %[[C127:.*]] = arith.constant 1.270000e+02 : f32
// CHECK-DAG: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E0]] : tensor<4xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x8xf32>) outs(%[[FILL]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT: %[[ABS:.*]] = math.absf %[[IN]] : f32
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[OUT]], %[[ABS]] : f32
// CHECK-NEXT: linalg.yield %[[M]] : f32
// CHECK: %[[SC:.*]]:2 = linalg.generic {indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]]], iterator_types = ["parallel"]} ins(%[[MAX]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[CL:.*]] = arith.maximumf %[[IN]], %[[EPS]] : f32
// CHECK-NEXT: %[[INV:.*]] = arith.divf %[[C127]], %[[CL]] : f32
// CHECK-NEXT: %[[SCALE:.*]] = arith.divf %[[CL]], %[[C127]] : f32
// CHECK-NEXT: linalg.yield %[[INV]], %[[SCALE]] : f32, f32
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<4x8xi8>
// CHECK: %[[Q:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[SC]]#0 : tensor<4x8xf32>, tensor<4xf32>) outs(%[[E2]] : tensor<4x8xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[IV:.*]]: f32, %{{.*}}: i8):
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[IN]], %[[IV]] : f32
// CHECK-NEXT: %[[R:.*]] = math.roundeven %[[P]] : f32
// CHECK-NEXT: %[[A:.*]] = arith.maximumf %[[R]], %[[LO]] : f32
// CHECK-NEXT: %[[B:.*]] = arith.minimumf %[[A]], %[[C127]] : f32
// CHECK-NEXT: %[[I:.*]] = arith.fptosi %[[B]] : f32 to i8
// CHECK-NEXT: linalg.yield %[[I]] : i8
// CHECK: return %[[Q]], %[[SC]]#1 : tensor<4x8xi8>, tensor<4xf32>
func.func @quantize(%x: tensor<4x8xf32>) -> (tensor<4x8xi8>, tensor<4xf32>) {
  %q, %s = tern.quantize %x {epsilon = 1.0e-3 : f32} : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<4xf32>
  return %q, %s : tensor<4x8xi8>, tensor<4xf32>
}

// The default epsilon is 1e-5; f16 is extended to f32 before |x| and x * inv.
// CHECK-LABEL: func.func @quantize_dyn_f16
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf16>)
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x8xf16>
// CHECK: tensor.empty(%[[D]]) : tensor<?xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x8xf16>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f16, %[[OUT:.*]]: f32):
// CHECK-NEXT: %[[E:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT: %[[ABS:.*]] = math.absf %[[E]] : f32
// CHECK-NEXT: arith.maximumf %[[OUT]], %[[ABS]] : f32
// CHECK: arith.maximumf %{{.*}}, %[[EPS]] : f32
// CHECK: tensor.empty(%{{.*}}) : tensor<?x8xi8>
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f16, %[[IV:.*]]: f32, %{{.*}}: i8):
// CHECK-NEXT: %[[E:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT: arith.mulf %[[E]], %[[IV]] : f32
// CHECK-NEXT: math.roundeven
// CHECK: arith.fptosi %{{.*}} : f32 to i8
// CHECK: return %{{.*}}, %{{.*}}#1 : tensor<?x8xi8>, tensor<?xf32>
func.func @quantize_dyn_f16(%x: tensor<?x8xf16>) -> (tensor<?x8xi8>, tensor<?xf32>) {
  %q, %s = tern.quantize %x : tensor<?x8xf16> -> tensor<?x8xi8>, tensor<?xf32>
  return %q, %s : tensor<?x8xi8>, tensor<?xf32>
}

// Rank 3: the row scale drops only the last dimension.
// CHECK-LABEL: func.func @quantize_rank3
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[ROW3]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<2x3x5xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%{{.*}} : tensor<2x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID3]], #[[ROW3]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x5xi8>)
func.func @quantize_rank3(%x: tensor<2x3x5xf32>) -> (tensor<2x3x5xi8>, tensor<2x3xf32>) {
  %q, %s = tern.quantize %x : tensor<2x3x5xf32> -> tensor<2x3x5xi8>, tensor<2x3xf32>
  return %q, %s : tensor<2x3x5xi8>, tensor<2x3xf32>
}
