func.func @bias_scalar(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>, %b: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a bias of shape 32 (one value per output row), got 'tensor<f32>'}}
  %y = tern.bitlinear %x, %w, %s, %b : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32>, tensor<f32> -> tensor<4x32xf32>
  return
}
