func.func @i8_size(%x: tensor<4x13xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i8> packs K = 13 into 13 bytes per row, but the result has 12}}
  %p = tern.pack %x {layout = #tern.layout<i8>} : tensor<4x13xi8> -> tensor<4x12xi8>
  return
}
