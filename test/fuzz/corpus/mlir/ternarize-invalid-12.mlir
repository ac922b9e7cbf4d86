func.func @negative_epsilon(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a positive epsilon, got -1.000000e+00}}
  %q, %s = tern.ternarize %w {epsilon = -1.0 : f32} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}
