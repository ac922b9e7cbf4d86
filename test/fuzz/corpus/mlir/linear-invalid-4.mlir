func.func @scale_on_float(%x: tensor<2x64xf32>, %w: tensor<8x64xf32>, %s: tensor<8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tern.linear' op a scale applies to int8 weights only}}
  %y = tern.linear %x, %w scale %s : tensor<2x64xf32>, tensor<8x64xf32>, tensor<8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
