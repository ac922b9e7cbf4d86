// The row scale is not broadcast: a scalar is only right for a rank-1 input.
func.func @row_scale_scalar(%x: tensor<4x8xi32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a row scale of shape 4 (one scale per row), got 'tensor<f32>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi32>, tensor<f32> -> tensor<4x8xf32>
  return
}
