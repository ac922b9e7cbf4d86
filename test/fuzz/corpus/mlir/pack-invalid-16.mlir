func.func @i32_input(%x: tensor<4x8xi32>) {
  // expected-error @+1 {{'tern.pack' op operand #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x8xi32>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi32> -> tensor<4x2xi8>
  return
}
