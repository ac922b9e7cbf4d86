func.func @i1_size(%x: tensor<2x13xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i1> packs K = 13 into 2 bytes per row, but the result has 1}}
  %p = tern.pack %x {layout = #tern.layout<i1>} : tensor<2x13xi8> -> tensor<2x1xi8>
  return
}
