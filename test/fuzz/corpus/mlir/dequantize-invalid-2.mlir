func.func @row_scale_per_column(%x: tensor<4x8xi32>, %s: tensor<8xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a row scale of shape 4 (one scale per row), got 'tensor<8xf32>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi32>, tensor<8xf32> -> tensor<4x8xf32>
  return
}
