// b3, 5 trits per byte: K = 13 -> 3 bytes (padded to 15); with block = 160,
// K = 2560 -> 16 blocks of 32 bytes and K = 200 -> 2 blocks of 32 bytes.
func.func @b3(%a: tensor<8x13xi8>, %w: tensor<640x2560xi8>, %b: tensor<4x200xi8>)
    -> (tensor<8x3xi8>, tensor<640x512xi8>, tensor<4x64xi8>) {
  %p0 = tern.pack %a {layout = #tern.layout<b3>} : tensor<8x13xi8> -> tensor<8x3xi8>
  %p1 = tern.pack %w {layout = #tern.layout<b3, block = 160>} : tensor<640x2560xi8> -> tensor<640x512xi8>
  %p2 = tern.pack %b {layout = #tern.layout<b3, block = 160>} : tensor<4x200xi8> -> tensor<4x64xi8>
  return %p0, %p1, %p2 : tensor<8x3xi8>, tensor<640x512xi8>, tensor<4x64xi8>
}
