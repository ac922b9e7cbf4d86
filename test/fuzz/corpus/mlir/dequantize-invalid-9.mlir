func.func @f16_col_scale(%x: tensor<4x8xi32>, %s: tensor<4xf32>, %c: tensor<f16>) {
  // expected-error @+1 {{'tern.dequantize' op operand #2 must be ranked tensor of 32-bit float values, but got 'tensor<f16>'}}
  %y = tern.dequantize %x, %s, %c : tensor<4x8xi32>, tensor<4xf32>, tensor<f16> -> tensor<4x8xf32>
  return
}
