func.func @b3_block_size(%x: tensor<4x200xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<b3, block = 160> packs K = 200 into 64 bytes per row, but the result has 40}}
  %p = tern.pack %x {layout = #tern.layout<b3, block = 160>} : tensor<4x200xi8> -> tensor<4x40xi8>
  return
}
