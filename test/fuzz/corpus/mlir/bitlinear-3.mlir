func.func @per_row(%x: tensor<1x2560xf32>, %w: tensor<640x512xi8>, %s: tensor<640xf32>) -> tensor<1x640xf32> {
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<per_row>, layout = #tern.layout<b3, block = 160>} : tensor<1x2560xf32>, tensor<640x512xi8>, tensor<640xf32> -> tensor<1x640xf32>
  return %y : tensor<1x640xf32>
}
