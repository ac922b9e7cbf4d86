func.func @i16_input(%x: tensor<4x8xi16>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'tern.dequantize' op operand #0 must be ranked tensor of 8-bit signless integer or 32-bit signless integer values, but got 'tensor<4x8xi16>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi16>, tensor<4xf32> -> tensor<4x8xf32>
  return
}
