// convert-tern-to-linalg lowers tern.dequantize to one element-wise
// linalg.generic: y[m, n] = (sitofp(q[m, n]) * row_scale[m]) * col_scale(n),
// with the column scale broadcast from a 0-d tensor (map to ()) or indexed
// by the column (map to (d1)), and left out when absent.
// RUN: tern-opt %s --convert-tern-to-linalg | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[ACC:.*]]: tensor<4x6xi32>, %[[S:.*]]: tensor<4xf32>, %[[G:.*]]: tensor<f32>)
// CHECK-NOT: tern.dequantize
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x6xf32>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[SCALAR]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACC]], %[[S]], %[[G]] : tensor<4x6xi32>, tensor<4xf32>, tensor<f32>) outs(%[[E]] : tensor<4x6xf32>)
// CHECK-NEXT: ^bb0(%[[Q:.*]]: i32, %[[RS:.*]]: f32, %[[CS:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[F:.*]] = arith.sitofp %[[Q]] : i32 to f32
// CHECK-NEXT: %[[A:.*]] = arith.mulf %[[F]], %[[RS]] : f32
// CHECK-NEXT: %[[B:.*]] = arith.mulf %[[A]], %[[CS]] : f32
// CHECK-NEXT: linalg.yield %[[B]] : f32
// CHECK: return %[[Y]] : tensor<4x6xf32>
func.func @per_tensor(%acc: tensor<4x6xi32>, %s: tensor<4xf32>, %g: tensor<f32>) -> tensor<4x6xf32> {
  %y = tern.dequantize %acc, %s, %g : tensor<4x6xi32>, tensor<4xf32>, tensor<f32> -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @per_column
// CHECK-SAME: (%[[ACC:.*]]: tensor<?x6xi32>, %[[S:.*]]: tensor<?xf32>, %[[G:.*]]: tensor<6xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D:.*]] = tensor.dim %[[ACC]], %[[C0]] : tensor<?x6xi32>
// CHECK: %[[E:.*]] = tensor.empty(%[[D]]) : tensor<?x6xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACC]], %[[S]], %[[G]] : tensor<?x6xi32>, tensor<?xf32>, tensor<6xf32>) outs(%[[E]] : tensor<?x6xf32>)
// CHECK-NEXT: ^bb0(%[[Q:.*]]: i32, %[[RS:.*]]: f32, %[[CS:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[F:.*]] = arith.sitofp %[[Q]] : i32 to f32
// CHECK-NEXT: %[[A:.*]] = arith.mulf %[[F]], %[[RS]] : f32
// CHECK-NEXT: %[[B:.*]] = arith.mulf %[[A]], %[[CS]] : f32
// CHECK-NEXT: linalg.yield %[[B]] : f32
func.func @per_column(%acc: tensor<?x6xi32>, %s: tensor<?xf32>, %g: tensor<6xf32>) -> tensor<?x6xf32> {
  %y = tern.dequantize %acc, %s, %g : tensor<?x6xi32>, tensor<?xf32>, tensor<6xf32> -> tensor<?x6xf32>
  return %y : tensor<?x6xf32>
}

// Without a column scale: int8 input, one multiply.
// CHECK-LABEL: func.func @no_col
// CHECK-SAME: (%[[Q8:.*]]: tensor<4x6xi8>, %[[S:.*]]: tensor<4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[Q8]], %[[S]] : tensor<4x6xi8>, tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[Q:.*]]: i8, %[[RS:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[F:.*]] = arith.sitofp %[[Q]] : i8 to f32
// CHECK-NEXT: %[[A:.*]] = arith.mulf %[[F]], %[[RS]] : f32
// CHECK-NEXT: linalg.yield %[[A]] : f32
func.func @no_col(%q: tensor<4x6xi8>, %s: tensor<4xf32>) -> tensor<4x6xf32> {
  %y = tern.dequantize %q, %s : tensor<4x6xi8>, tensor<4xf32> -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}
