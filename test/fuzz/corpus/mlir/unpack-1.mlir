func.func @i2(%a: tensor<640x640xi8>, %b: tensor<3x2xi8>, %c: tensor<8x128xi8>, %d: tensor<8x32xi8>)
    -> (tensor<640x2560xi8>, tensor<3x6xi8>, tensor<8x300xi8>, tensor<8x100xi8>) {
  %w0 = tern.unpack %a {layout = #tern.layout<i2>} : tensor<640x640xi8> -> tensor<640x2560xi8>
  %w1 = tern.unpack %b {layout = #tern.layout<i2, msb>} : tensor<3x2xi8> -> tensor<3x6xi8>
  %w2 = tern.unpack %c {layout = #tern.layout<i2, block = 256>} : tensor<8x128xi8> -> tensor<8x300xi8>
  %w3 = tern.unpack %d {layout = #tern.layout<i2, block = 128, msb>} : tensor<8x32xi8> -> tensor<8x100xi8>
  return %w0, %w1, %w2, %w3 : tensor<640x2560xi8>, tensor<3x6xi8>, tensor<8x300xi8>, tensor<8x100xi8>
}
