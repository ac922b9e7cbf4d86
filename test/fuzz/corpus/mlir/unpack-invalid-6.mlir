func.func @b3_size(%x: tensor<8x3xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<b3> packs K = 16 into 4 bytes per row, but the input has 3}}
  %w = tern.unpack %x {layout = #tern.layout<b3>} : tensor<8x3xi8> -> tensor<8x16xi8>
  return
}
