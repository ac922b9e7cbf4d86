func.func @col_scale_rank2(%x: tensor<4x8xi32>, %s: tensor<4xf32>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a column scale of shape 8 (scalar, or one scale per column), got 'tensor<4x8xf32>'}}
  %y = tern.dequantize %x, %s, %c : tensor<4x8xi32>, tensor<4xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  return
}
