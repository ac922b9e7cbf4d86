func.func @rank3(%acc: tensor<2x3x8xi32>, %s: tensor<2x3xf32>, %c: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %y = tern.dequantize %acc, %s, %c : tensor<2x3x8xi32>, tensor<2x3xf32>, tensor<8xf32> -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}
