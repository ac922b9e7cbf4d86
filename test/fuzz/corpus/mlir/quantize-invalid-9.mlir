// A rank-1 input has a scalar scale.
func.func @rank1_scale(%x: tensor<8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape [] (rank 0) (one scale per row), got 'tensor<1xf32>'}}
  %q, %s = tern.quantize %x : tensor<8xf32> -> tensor<8xi8>, tensor<1xf32>
  return
}
