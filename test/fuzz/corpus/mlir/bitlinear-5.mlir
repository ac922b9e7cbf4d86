// Q1_0: binary weights, one bit each, a scale per row and group of 128.
// K = 2048 -> 256 bytes per row and 16 groups.
func.func @binary_q1_0(%x: tensor<1x2048xf32>, %w: tensor<512x256xi8>, %d: tensor<512x16xf32>) -> tensor<1x512xf32> {
  %y = tern.bitlinear %x, %w, %d {kind = #tern.kind<binary>, layout = #tern.layout<i1>, granularity = #tern.scale<group = 128>} : tensor<1x2048xf32>, tensor<512x256xi8>, tensor<512x16xf32> -> tensor<1x512xf32>
  return %y : tensor<1x512xf32>
}
