// Round trip of tern.dequantize: i32 accumulators and i8 values, with no
// column scale, a scalar column scale and a per-column scale, rank 1 and 3
// inputs and dynamic sizes.
// RUN: tern-opt %s -split-input-file | tern-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @no_col_scale
// CHECK-SAME: (%[[ACC:.*]]: tensor<4x640xi32>, %[[S:.*]]: tensor<4xf32>)
// CHECK: %[[Y:.*]] = tern.dequantize %[[ACC]], %[[S]] : tensor<4x640xi32>, tensor<4xf32> -> tensor<4x640xf32>
// CHECK: return %[[Y]]
func.func @no_col_scale(%acc: tensor<4x640xi32>, %s: tensor<4xf32>) -> tensor<4x640xf32> {
  %y = tern.dequantize %acc, %s : tensor<4x640xi32>, tensor<4xf32> -> tensor<4x640xf32>
  return %y : tensor<4x640xf32>
}

// -----

// CHECK-LABEL: func.func @scalar_col_scale
// CHECK-SAME: (%[[ACC:.*]]: tensor<4x640xi32>, %[[S:.*]]: tensor<4xf32>, %[[G:.*]]: tensor<f32>)
// CHECK: tern.dequantize %[[ACC]], %[[S]], %[[G]] : tensor<4x640xi32>, tensor<4xf32>, tensor<f32> -> tensor<4x640xf32>
func.func @scalar_col_scale(%acc: tensor<4x640xi32>, %s: tensor<4xf32>, %gamma: tensor<f32>) -> tensor<4x640xf32> {
  %y = tern.dequantize %acc, %s, %gamma : tensor<4x640xi32>, tensor<4xf32>, tensor<f32> -> tensor<4x640xf32>
  return %y : tensor<4x640xf32>
}

// -----

// CHECK-LABEL: func.func @per_column_scale
// CHECK-SAME: (%[[ACC:.*]]: tensor<4x640xi32>, %[[S:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<640xf32>)
// CHECK: tern.dequantize %[[ACC]], %[[S]], %[[C]] : tensor<4x640xi32>, tensor<4xf32>, tensor<640xf32> -> tensor<4x640xf32>
func.func @per_column_scale(%acc: tensor<4x640xi32>, %s: tensor<4xf32>, %c: tensor<640xf32>) -> tensor<4x640xf32> {
  %y = tern.dequantize %acc, %s, %c : tensor<4x640xi32>, tensor<4xf32>, tensor<640xf32> -> tensor<4x640xf32>
  return %y : tensor<4x640xf32>
}

// -----

// int8 input (the values of tern.quantize), rank 1 with a scalar row scale.
// CHECK-LABEL: func.func @i8_rank1
// CHECK: tern.dequantize %{{.*}}, %{{.*}} : tensor<2560xi8>, tensor<f32> -> tensor<2560xf32>
func.func @i8_rank1(%q: tensor<2560xi8>, %s: tensor<f32>) -> tensor<2560xf32> {
  %y = tern.dequantize %q, %s : tensor<2560xi8>, tensor<f32> -> tensor<2560xf32>
  return %y : tensor<2560xf32>
}

// -----

// CHECK-LABEL: func.func @rank3
// CHECK: tern.dequantize %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3x8xi32>, tensor<2x3xf32>, tensor<8xf32> -> tensor<2x3x8xf32>
func.func @rank3(%acc: tensor<2x3x8xi32>, %s: tensor<2x3xf32>, %c: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %y = tern.dequantize %acc, %s, %c : tensor<2x3x8xi32>, tensor<2x3xf32>, tensor<8xf32> -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic
// CHECK: tern.dequantize %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x?xi32>, tensor<?xf32>, tensor<?xf32> -> tensor<?x?xf32>
// CHECK: tern.dequantize %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x640xi32>, tensor<4xf32>, tensor<640xf32> -> tensor<4x?xf32>
func.func @dynamic(%acc: tensor<?x?xi32>, %s: tensor<?xf32>, %c: tensor<?xf32>,
                   %acc2: tensor<?x640xi32>, %s2: tensor<4xf32>, %c2: tensor<640xf32>) -> (tensor<?x?xf32>, tensor<4x?xf32>) {
  %y = tern.dequantize %acc, %s, %c : tensor<?x?xi32>, tensor<?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  %y2 = tern.dequantize %acc2, %s2, %c2 : tensor<?x640xi32>, tensor<4xf32>, tensor<640xf32> -> tensor<4x?xf32>
  return %y, %y2 : tensor<?x?xf32>, tensor<4x?xf32>
}
