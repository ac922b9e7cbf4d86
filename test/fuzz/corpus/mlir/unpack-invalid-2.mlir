func.func @rank_mismatch(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op expects the packed and unpacked tensors to have the same rank, got 'tensor<4x2xi8>' and 'tensor<8xi8>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<4x2xi8> -> tensor<8xi8>
  return
}
