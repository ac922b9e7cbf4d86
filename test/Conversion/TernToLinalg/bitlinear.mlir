// convert-tern-to-linalg expands tern.bitlinear (per-tensor or per-row weight
// scales) into quantize -> tern.matmul -> dequantize, each quantize and
// dequantize already lowered to linalg.generic, then adds the bias with one
// more linalg.generic. The tern.matmul is kept for convert-tern-to-kernels,
// with the bitlinear's layout and kind; the epsilon goes to the quantize.
// RUN: tern-opt %s --convert-tern-to-linalg | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>

// Per-tensor scale, i2 weights with block 256, dynamic M, epsilon 1e-3.
// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<3x64xi8>, %[[G:.*]]: tensor<f32>) -> tensor<?x3xf32>
// CHECK-NOT: tern.bitlinear
// CHECK-DAG: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// quantize: |x| row max, then 127 / m and m / 127, then the int8 values.
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x8xf32>)
// CHECK: math.absf
// CHECK-NEXT: arith.maximumf
// CHECK: %[[SC:.*]]:2 = linalg.generic {indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]]], iterator_types = ["parallel"]} ins(%[[MAX]] : tensor<?xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %{{.*}}, %[[EPS]] : f32
// CHECK-NEXT: arith.divf %{{.*}}, %[[M]] : f32
// CHECK-NEXT: arith.divf %[[M]], %{{.*}} : f32
// CHECK: %[[Q:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[SC]]#0 : tensor<?x8xf32>, tensor<?xf32>) outs(%{{.*}} : tensor<?x8xi8>)
// CHECK: arith.mulf
// CHECK-NEXT: math.roundeven
// CHECK-NEXT: arith.maximumf
// CHECK-NEXT: arith.minimumf
// CHECK-NEXT: arith.fptosi %{{.*}} : f32 to i8
// The integer matmul keeps the layout.
// CHECK: %[[ACC:.*]] = tern.matmul %[[Q]], %[[W]] {layout = #tern.layout<i2, block = 256>} : tensor<?x8xi8>, tensor<3x64xi8> -> tensor<?x3xi32>
// dequantize: acc * row scale * the 0-d weight scale.
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[SCALAR]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACC]], %[[SC]]#1, %[[G]] : tensor<?x3xi32>, tensor<?xf32>, tensor<f32>) outs(%{{.*}} : tensor<?x3xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.sitofp %{{.*}} : i32 to f32
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: linalg.yield
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]] : tensor<?x3xf32>
func.func @per_tensor(%x: tensor<?x8xf32>, %w: tensor<3x64xi8>, %g: tensor<f32>) -> tensor<?x3xf32> {
  %y = tern.bitlinear %x, %w, %g {layout = #tern.layout<i2, block = 256>, epsilon = 1.0e-3 : f32} : tensor<?x8xf32>, tensor<3x64xi8>, tensor<f32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// Per-row scale and a bias, binary weights in i1 (block 128, msb).
// CHECK-LABEL: func.func @per_row_bias
// CHECK-SAME: (%[[X:.*]]: tensor<2x16xf32>, %[[W:.*]]: tensor<3x16xi8>, %[[S:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-DAG: arith.constant 9.99999974E-6 : f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x16xf32>)
// CHECK: %[[SC:.*]]:2 = linalg.generic
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x16xi8>)
// CHECK: %[[ACC:.*]] = tern.matmul %[[Q]], %[[W]] {kind = #tern.kind<binary>, layout = #tern.layout<i1, block = 128, msb>} : tensor<2x16xi8>, tensor<3x16xi8> -> tensor<2x3xi32>
// CHECK: %[[DQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[ACC]], %[[SC]]#1, %[[S]] : tensor<2x3xi32>, tensor<2xf32>, tensor<3xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[DQ]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT: ^bb0(%[[V:.*]]: f32, %[[BI:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[V]], %[[BI]] : f32
// CHECK-NEXT: linalg.yield %[[SUM]] : f32
// CHECK: return %[[Y]] : tensor<2x3xf32>
func.func @per_row_bias(%x: tensor<2x16xf32>, %w: tensor<3x16xi8>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = tern.bitlinear %x, %w, %s, %b {kind = #tern.kind<binary>, layout = #tern.layout<i1, block = 128, msb>, granularity = #tern.scale<per_row>} : tensor<2x16xf32>, tensor<3x16xi8>, tensor<3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// Everything dynamic: the matmul and bias add take their sizes from tensor.dim.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x?xf32>, %[[W:.*]]: tensor<?x?xi8>, %[[S:.*]]: tensor<?xf32>, %[[B:.*]]: tensor<?xf32>)
// CHECK: %[[ACC:.*]] = tern.matmul %{{.*}}, %[[W]] : tensor<?x?xi8>, tensor<?x?xi8> -> tensor<?x?xi32>
// CHECK: %[[D0:.*]] = tensor.dim %[[ACC]], %{{.*}} : tensor<?x?xi32>
// CHECK: %[[D1:.*]] = tensor.dim %[[ACC]], %{{.*}} : tensor<?x?xi32>
// CHECK: tensor.empty(%[[D0]], %[[D1]]) : tensor<?x?xf32>
// CHECK: %[[DQ:.*]] = linalg.generic {{.*}} ins(%[[ACC]], %{{.*}}, %[[S]] : tensor<?x?xi32>, tensor<?xf32>, tensor<?xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[DQ]], %[[B]] : tensor<?x?xf32>, tensor<?xf32>)
// CHECK: arith.addf
func.func @dynamic(%x: tensor<?x?xf32>, %w: tensor<?x?xi8>, %s: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?x?xf32> {
  %y = tern.bitlinear %x, %w, %s, %b {granularity = #tern.scale<per_row>} : tensor<?x?xf32>, tensor<?x?xi8>, tensor<?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
