// K = 300 pads to 2 blocks of 256: 128 bytes, not 300 / 4 = 75.
func.func @i2_block_padding(%x: tensor<4x300xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i2, block = 256> packs K = 300 into 128 bytes per row, but the result has 75}}
  %p = tern.pack %x {layout = #tern.layout<i2, block = 256>} : tensor<4x300xi8> -> tensor<4x75xi8>
  return
}
