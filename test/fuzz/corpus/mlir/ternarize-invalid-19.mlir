func.func @f64_epsilon(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op attribute 'epsilon' failed to satisfy constraint: 32-bit float attribute}}
  %q, %s = tern.ternarize %w {epsilon = 1.0e-5 : f64} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}
