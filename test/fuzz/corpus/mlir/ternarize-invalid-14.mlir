// The epsilon is checked before the shapes.
func.func @epsilon_first(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a positive epsilon, got 0.000000e+00}}
  %q, %s = tern.ternarize %w {epsilon = 0.0 : f32} : tensor<4x64xf32> -> tensor<4x32xi8>, tensor<4xf32>
  return
}
