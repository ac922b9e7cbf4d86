// Round trip of tern.bitlinear: per-tensor, per-row and group weight scales,
// an optional bias, packed layouts, binary i1 weights with Q1_0-style groups
// of 128, a non-default epsilon and dynamic M. Defaults (kind = ternary,
// layout = i8, granularity = per_tensor, epsilon = 1e-5) are not printed.

func.func @per_tensor(%x: tensor<1x2560xf32>, %w: tensor<640x640xi8>, %gamma: tensor<f32>) -> tensor<1x640xf32> {
  %y = tern.bitlinear %x, %w, %gamma {layout = #tern.layout<i2, block = 256>} : tensor<1x2560xf32>, tensor<640x640xi8>, tensor<f32> -> tensor<1x640xf32>
  return %y : tensor<1x640xf32>
}
