func.func @i8_size(%x: tensor<2x16xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<i8> packs K = 15 into 15 bytes per row, but the input has 16}}
  %w = tern.unpack %x {layout = #tern.layout<i8>} : tensor<2x16xi8> -> tensor<2x15xi8>
  return
}
