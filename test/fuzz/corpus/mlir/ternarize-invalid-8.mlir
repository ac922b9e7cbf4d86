// K = 64 in groups of 32 is 2 groups, not 3.
func.func @group_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape 4x2 (one scale per row and group of K for #tern.scale<group = 32>), got 'tensor<4x3xf32>'}}
  %q, %s = tern.ternarize %w {granularity = #tern.scale<group = 32>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4x3xf32>
  return
}
