func.func @result_shape(%x: tensor<2x64xf32>, %w: tensor<8x64xf32>) {
  // expected-error @+1 {{'tern.linear' op expects a result of shape 2x8 ([M, N] of the input and the weight), got 'tensor<8x2xf32>'}}
  %y = tern.linear %x, %w : tensor<2x64xf32>, tensor<8x64xf32> -> tensor<8x2xf32>
  return
}
