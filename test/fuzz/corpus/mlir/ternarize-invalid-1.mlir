func.func @input_rank3(%w: tensor<2x4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a weight matrix of rank 2, got 'tensor<2x4x64xf32>'}}
  %q, %s = tern.ternarize %w : tensor<2x4x64xf32> -> tensor<2x4x64xi8>, tensor<f32>
  return
}
