// i2 in blocks: block = 256 packs K = 300 into 2 blocks of 64 bytes;
// block = 128, msb (I2_S) packs K = 100 into 1 block of 32 bytes.
func.func @i2_blocks(%w: tensor<640x2560xi8>, %a: tensor<8x300xi8>, %b: tensor<8x100xi8>)
    -> (tensor<640x640xi8>, tensor<8x128xi8>, tensor<640x640xi8>, tensor<8x32xi8>) {
  %p0 = tern.pack %w {layout = #tern.layout<i2, block = 256>} : tensor<640x2560xi8> -> tensor<640x640xi8>
  %p1 = tern.pack %a {layout = #tern.layout<i2, block = 256>} : tensor<8x300xi8> -> tensor<8x128xi8>
  %p2 = tern.pack %w {layout = #tern.layout<i2, block = 128, msb>} : tensor<640x2560xi8> -> tensor<640x640xi8>
  %p3 = tern.pack %b {layout = #tern.layout<i2, block = 128, msb>} : tensor<8x100xi8> -> tensor<8x32xi8>
  return %p0, %p1, %p2, %p3 : tensor<640x640xi8>, tensor<8x128xi8>, tensor<640x640xi8>, tensor<8x32xi8>
}
