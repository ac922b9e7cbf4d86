func.func @i1_block_size(%x: tensor<2x130xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i1, block = 128, msb> packs K = 130 into 32 bytes per row, but the result has 17}}
  %p = tern.pack %x {layout = #tern.layout<i1, block = 128, msb>} : tensor<2x130xi8> -> tensor<2x17xi8>
  return
}
