func.func @scale_scalar(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape 4 (one scale per row), got 'tensor<f32>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<f32>
  return
}
