func.func @scale_shape(%x: tensor<2x64xf32>, %w: tensor<8x64xi8>, %s: tensor<4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tern.linear' op expects a scale of shape 8 (one per weight row), got 'tensor<4xf32>'}}
  %y = tern.linear %x, %w scale %s : tensor<2x64xf32>, tensor<8x64xi8>, tensor<4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
