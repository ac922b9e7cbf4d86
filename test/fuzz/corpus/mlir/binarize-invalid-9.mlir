func.func @i1_values(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x64xi1>'}}
  %q, %s = tern.binarize %w : tensor<4x64xf32> -> tensor<4x64xi1>, tensor<f32>
  return
}
