func.func @f16_scale(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op result #1 must be ranked tensor of 32-bit float values, but got 'tensor<f16>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f16>
  return
}
