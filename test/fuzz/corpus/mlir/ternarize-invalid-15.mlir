func.func @f64_input(%w: tensor<4x64xf64>) {
  // expected-error @+1 {{'tern.ternarize' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float values, but got 'tensor<4x64xf64>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf64> -> tensor<4x64xi8>, tensor<f32>
  return
}
