func.func @f16_output(%x: tensor<4x8xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'tern.dequantize' op result #0 must be ranked tensor of 32-bit float values, but got 'tensor<4x8xf16>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi32>, tensor<4xf32> -> tensor<4x8xf16>
  return
}
