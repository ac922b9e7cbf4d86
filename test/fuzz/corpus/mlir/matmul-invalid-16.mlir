func.func @f32_lhs(%a: tensor<4x64xf32>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op operand #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x64xf32>'}}
  %y = tern.matmul %a, %w : tensor<4x64xf32>, tensor<32x64xi8> -> tensor<4x32xi32>
  return
}
