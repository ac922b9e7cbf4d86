// K = 13 pads to 15 trits: 3 bytes, not floor(13 / 5) = 2.
func.func @b3_size(%x: tensor<4x13xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<b3> packs K = 13 into 3 bytes per row, but the result has 2}}
  %p = tern.pack %x {layout = #tern.layout<b3>} : tensor<4x13xi8> -> tensor<4x2xi8>
  return
}
