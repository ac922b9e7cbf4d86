func.func @f16(%x: tensor<3x5xf32>, %w: tensor<7x5xf16>) -> tensor<3x7xf32> {
  %y = tern.linear %x, %w : tensor<3x5xf32>, tensor<7x5xf16> -> tensor<3x7xf32>
  return %y : tensor<3x7xf32>
}
