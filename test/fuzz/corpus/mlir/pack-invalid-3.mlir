func.func @leading_dims_rank3(%x: tensor<2x3x8xi8>) {
  // expected-error @+1 {{'tern.pack' op expects the packed and unpacked tensors to agree on all but the last dimension, got 'tensor<3x2x2xi8>' and 'tensor<2x3x8xi8>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<2x3x8xi8> -> tensor<3x2x2xi8>
  return
}
