// K = 300 with groups of 128 gives ceil(300 / 128) = 3 groups per row.
func.func @group(%w: tensor<4x300xf32>) -> tensor<4x3xf32> {
  %q, %s = tern.ternarize %w {granularity = #tern.scale<group = 128>, epsilon = 1.0e-3 : f32} : tensor<4x300xf32> -> tensor<4x300xi8>, tensor<4x3xf32>
  return %s : tensor<4x3xf32>
}
