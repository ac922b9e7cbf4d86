func.func @scalar_col_scale(%acc: tensor<4x640xi32>, %s: tensor<4xf32>, %gamma: tensor<f32>) -> tensor<4x640xf32> {
  %y = tern.dequantize %acc, %s, %gamma : tensor<4x640xi32>, tensor<4xf32>, tensor<f32> -> tensor<4x640xf32>
  return %y : tensor<4x640xf32>
}
