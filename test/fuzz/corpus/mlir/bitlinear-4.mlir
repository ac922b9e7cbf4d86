// Ternary weights with groups of 64 along K = 200: ceil(200 / 64) = 4 groups.
func.func @group(%x: tensor<3x200xf32>, %w: tensor<16x200xi8>, %s: tensor<16x4xf32>, %b: tensor<16xf32>) -> tensor<3x16xf32> {
  %y = tern.bitlinear %x, %w, %s, %b {granularity = #tern.scale<group = 64>, epsilon = 1.0e-6 : f32} : tensor<3x200xf32>, tensor<16x200xi8>, tensor<16x4xf32>, tensor<16xf32> -> tensor<3x16xf32>
  return %y : tensor<3x16xf32>
}
