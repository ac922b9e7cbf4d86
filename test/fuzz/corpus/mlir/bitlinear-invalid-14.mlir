// The group count comes from the logical K (300 -> 3 groups of 128), not the
// packed row size.
func.func @group_scale_count(%x: tensor<4x300xf32>, %w: tensor<32x300xi8>, %s: tensor<32x2xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape 32x3 (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<32x2xf32>'}}
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<group = 128>} : tensor<4x300xf32>, tensor<32x300xi8>, tensor<32x2xf32> -> tensor<4x32xf32>
  return
}
