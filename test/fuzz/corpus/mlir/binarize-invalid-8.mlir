func.func @i32_input(%w: tensor<4x64xi32>) {
  // expected-error @+1 {{'tern.binarize' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float values, but got 'tensor<4x64xi32>'}}
  %q, %s = tern.binarize %w : tensor<4x64xi32> -> tensor<4x64xi8>, tensor<f32>
  return
}
