func.func @per_row_scale_scalar(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape 32 (one scale per output row for #tern.scale<per_row>), got 'tensor<f32>'}}
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<per_row>} : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}
