func.func @i8_input(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.quantize' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float values, but got 'tensor<4x8xi8>'}}
  %q, %s = tern.quantize %x : tensor<4x8xi8> -> tensor<4x8xi8>, tensor<4xf32>
  return
}
