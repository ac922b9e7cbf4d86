func.func @nan_epsilon(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a positive epsilon, got nan}}
  %q, %s = tern.ternarize %w {epsilon = 0x7FC00000 : f32} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}
