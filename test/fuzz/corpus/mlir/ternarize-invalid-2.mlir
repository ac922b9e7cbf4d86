func.func @values_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects values of shape 4x64 (the input's shape), got 'tensor<4x32xi8>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x32xi8>, tensor<f32>
  return
}
