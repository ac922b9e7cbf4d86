// A rank-1 input has a scalar scale.
func.func @rank1(%x: tensor<2560xf32>) -> tensor<f32> {
  %q, %s = tern.quantize %x : tensor<2560xf32> -> tensor<2560xi8>, tensor<f32>
  return %s : tensor<f32>
}
