func.func @f16_input(%x: tensor<4x8xf16>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4x8xf16>'}}
  %y = tern.rms_norm %x, %g : tensor<4x8xf16>, tensor<8xf32> -> tensor<4x8xf32>
  return
}
