func.func @per_row(%w: tensor<64x128xf32>) -> tensor<64xf32> {
  %q, %s = tern.ternarize %w {granularity = #tern.scale<per_row>} : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<64xf32>
  return %s : tensor<64xf32>
}
