// Leading dimensions may be dynamic; the packed size is still checked.
func.func @dynamic_leading(%x: tensor<?x2560xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i2, block = 256> packs K = 2560 into 640 bytes per row, but the result has 320}}
  %p = tern.pack %x {layout = #tern.layout<i2, block = 256>} : tensor<?x2560xi8> -> tensor<?x320xi8>
  return
}
