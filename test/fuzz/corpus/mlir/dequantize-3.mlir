// int8 input (the values of tern.quantize), rank 1 with a scalar row scale.
func.func @i8_rank1(%q: tensor<2560xi8>, %s: tensor<f32>) -> tensor<2560xf32> {
  %y = tern.dequantize %q, %s : tensor<2560xi8>, tensor<f32> -> tensor<2560xf32>
  return %y : tensor<2560xf32>
}
