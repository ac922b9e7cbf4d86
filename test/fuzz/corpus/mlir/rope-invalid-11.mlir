func.func @i16_positions(%x: tensor<4x2x8xf32>, %p: tensor<4xi16>) {
  // expected-error @+1 {{'tern.rope' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xi16>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<4xi16> -> tensor<4x2x8xf32>
  return
}
