func.func @i2_block_size(%x: tensor<8x64xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<i2, block = 256> packs K = 300 into 128 bytes per row, but the input has 64}}
  %w = tern.unpack %x {layout = #tern.layout<i2, block = 256>} : tensor<8x64xi8> -> tensor<8x300xi8>
  return
}
