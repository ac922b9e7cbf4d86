func.func @i2_msb_size(%x: tensor<4x100xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i2, block = 128, msb> packs K = 100 into 32 bytes per row, but the result has 25}}
  %p = tern.pack %x {layout = #tern.layout<i2, block = 128, msb>} : tensor<4x100xi8> -> tensor<4x25xi8>
  return
}
