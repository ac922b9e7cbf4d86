func.func @values_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects values of shape 4x64 (the input's shape), got 'tensor<64x4xi8>'}}
  %q, %s = tern.binarize %w : tensor<4x64xf32> -> tensor<64x4xi8>, tensor<f32>
  return
}
