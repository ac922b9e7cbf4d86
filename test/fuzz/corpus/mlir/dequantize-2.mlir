func.func @per_column_scale(%acc: tensor<4x640xi32>, %s: tensor<4xf32>, %c: tensor<640xf32>) -> tensor<4x640xf32> {
  %y = tern.dequantize %acc, %s, %c : tensor<4x640xi32>, tensor<4xf32>, tensor<640xf32> -> tensor<4x640xf32>
  return %y : tensor<4x640xf32>
}
