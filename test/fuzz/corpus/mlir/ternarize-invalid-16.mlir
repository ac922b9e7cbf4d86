func.func @i32_values(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x64xi32>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x64xi32>, tensor<f32>
  return
}
