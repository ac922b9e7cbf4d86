func.func @leading_dims(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op expects the packed and unpacked tensors to agree on all but the last dimension, got 'tensor<4x2xi8>' and 'tensor<3x8xi8>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<4x2xi8> -> tensor<3x8xi8>
  return
}
