func.func @f16_input(%x: tensor<4x64xf16>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4x64xf16>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf16>, tensor<32x64xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}
