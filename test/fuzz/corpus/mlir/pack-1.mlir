// i2, 4 values per byte: K = 2560 -> 640 bytes; K = 6 -> 2 bytes (padded to 8).
func.func @i2(%w: tensor<640x2560xi8>, %v: tensor<3x6xi8>) -> (tensor<640x640xi8>, tensor<3x2xi8>, tensor<3x2xi8>) {
  %p0 = tern.pack %w {layout = #tern.layout<i2>} : tensor<640x2560xi8> -> tensor<640x640xi8>
  %p1 = tern.pack %v {layout = #tern.layout<i2>} : tensor<3x6xi8> -> tensor<3x2xi8>
  %p2 = tern.pack %v {layout = #tern.layout<i2, msb>} : tensor<3x6xi8> -> tensor<3x2xi8>
  return %p0, %p1, %p2 : tensor<640x640xi8>, tensor<3x2xi8>, tensor<3x2xi8>
}
