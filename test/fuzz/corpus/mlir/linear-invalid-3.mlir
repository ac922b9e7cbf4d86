func.func @int8_without_scale(%x: tensor<2x64xf32>, %w: tensor<8x64xi8>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tern.linear' op int8 weights need a scale per row}}
  %y = tern.linear %x, %w : tensor<2x64xf32>, tensor<8x64xi8> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
