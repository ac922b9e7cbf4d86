func.func @rank3_epsilon(%x: tensor<2x3x64xf32>) -> tensor<2x3xf32> {
  %q, %s = tern.quantize %x {epsilon = 1.0e-6 : f32} : tensor<2x3x64xf32> -> tensor<2x3x64xi8>, tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}
