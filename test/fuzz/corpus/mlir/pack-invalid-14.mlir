func.func @layout_not_a_layout(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op attribute 'layout' failed to satisfy constraint: the physical packing of low-bit weights along K}}
  %p = tern.pack %x {layout = #tern.kind<binary>} : tensor<4x8xi8> -> tensor<4x2xi8>
  return
}
