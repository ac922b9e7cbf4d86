// The scale is per row: the input's shape without its last dimension.
func.func @scale_per_column(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape 4 (one scale per row), got 'tensor<8xf32>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<8xf32>
  return
}
