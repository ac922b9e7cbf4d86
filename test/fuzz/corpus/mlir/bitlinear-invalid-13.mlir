// One scale per output row (N = 32), not per K.
func.func @per_row_scale_k(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<64xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape 32 (one scale per output row for #tern.scale<per_row>), got 'tensor<64xf32>'}}
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<per_row>} : tensor<4x64xf32>, tensor<32x64xi8>, tensor<64xf32> -> tensor<4x32xf32>
  return
}
