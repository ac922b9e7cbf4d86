// Q1_0 groups of 128 over K = 256: 2 groups per row.
func.func @group_scale_shape(%w: tensor<64x256xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape 64x2 (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<64xf32>'}}
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 128>} : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<64xf32>
  return
}
