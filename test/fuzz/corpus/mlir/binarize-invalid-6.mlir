func.func @group_scale_rows(%w: tensor<64x256xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape 64x2 (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<32x2xf32>'}}
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 128>} : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<32x2xf32>
  return
}
