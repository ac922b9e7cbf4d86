// An unpacked size is not a packed one.
func.func @i2_size(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i2> packs K = 8 into 2 bytes per row, but the result has 8}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi8> -> tensor<4x8xi8>
  return
}
