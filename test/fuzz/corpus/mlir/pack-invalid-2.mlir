func.func @leading_dims(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op expects the packed and unpacked tensors to agree on all but the last dimension, got 'tensor<3x2xi8>' and 'tensor<4x8xi8>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi8> -> tensor<3x2xi8>
  return
}
