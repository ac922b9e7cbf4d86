func.func @with_bias(%x: tensor<4x2560xf32>, %w: tensor<640x640xi8>, %gamma: tensor<f32>, %b: tensor<640xf32>) -> tensor<4x640xf32> {
  %y = tern.bitlinear %x, %w, %gamma, %b {layout = #tern.layout<i2>} : tensor<4x2560xf32>, tensor<640x640xi8>, tensor<f32>, tensor<640xf32> -> tensor<4x640xf32>
  return %y : tensor<4x640xf32>
}
