// K = 9 needs 3 bytes of i2.
func.func @i2_size(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<i2> packs K = 9 into 3 bytes per row, but the input has 2}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<4x2xi8> -> tensor<4x9xi8>
  return
}
