func.func @per_row_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape 4 (one scale per output row for #tern.scale<per_row>), got 'tensor<4x1xf32>'}}
  %q, %s = tern.binarize %w {granularity = #tern.scale<per_row>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4x1xf32>
  return
}
