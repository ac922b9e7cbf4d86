func.func @zero_epsilon(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a positive epsilon, got 0.000000e+00}}
  %q, %s = tern.ternarize %w {epsilon = 0.0 : f32} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}
