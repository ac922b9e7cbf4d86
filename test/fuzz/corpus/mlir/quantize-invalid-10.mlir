func.func @rank3_scale(%x: tensor<2x3x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape 2x3 (one scale per row), got 'tensor<6xf32>'}}
  %q, %s = tern.quantize %x : tensor<2x3x8xf32> -> tensor<2x3x8xi8>, tensor<6xf32>
  return
}
