func.func @i32_result(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x2xi32>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi8> -> tensor<4x2xi32>
  return
}
