// Rank 1 and rank 3: only the last dimension is packed.
func.func @ranks(%a: tensor<13xi8>, %b: tensor<2x3x13xi8>, %c: tensor<4x6x512xi8>)
    -> (tensor<4xi8>, tensor<2x3x3xi8>, tensor<4x6x128xi8>) {
  %p0 = tern.pack %a {layout = #tern.layout<i2>} : tensor<13xi8> -> tensor<4xi8>
  %p1 = tern.pack %b {layout = #tern.layout<b3>} : tensor<2x3x13xi8> -> tensor<2x3x3xi8>
  %p2 = tern.pack %c {layout = #tern.layout<i2, block = 256>} : tensor<4x6x512xi8> -> tensor<4x6x128xi8>
  return %p0, %p1, %p2 : tensor<4xi8>, tensor<2x3x3xi8>, tensor<4x6x128xi8>
}
