// The last group may be short: K = 65 in groups of 32 is 3 groups.
func.func @group_scale_short_last(%w: tensor<4x65xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape 4x3 (one scale per row and group of K for #tern.scale<group = 32>), got 'tensor<4x2xf32>'}}
  %q, %s = tern.ternarize %w {granularity = #tern.scale<group = 32>} : tensor<4x65xf32> -> tensor<4x65xi8>, tensor<4x2xf32>
  return
}
