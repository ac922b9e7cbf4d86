func.func @i1_size(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<i1, msb> packs K = 17 into 3 bytes per row, but the input has 2}}
  %w = tern.unpack %x {layout = #tern.layout<i1, msb>} : tensor<2x2xi8> -> tensor<2x17xi8>
  return
}
