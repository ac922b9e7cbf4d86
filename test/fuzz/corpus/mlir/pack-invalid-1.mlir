func.func @rank_mismatch(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op expects the packed and unpacked tensors to have the same rank, got 'tensor<8xi8>' and 'tensor<4x8xi8>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi8> -> tensor<8xi8>
  return
}
