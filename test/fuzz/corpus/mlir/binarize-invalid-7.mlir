// A dynamic K leaves the group count dynamic ('?'); N is still checked.
func.func @group_scale_dynamic_k(%w: tensor<64x?xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape 64x? (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<32x2xf32>'}}
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 128>} : tensor<64x?xf32> -> tensor<64x?xi8>, tensor<32x2xf32>
  return
}
