func.func @missing_layout(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op requires attribute 'layout'}}
  %w = tern.unpack %x : tensor<4x2xi8> -> tensor<4x8xi8>
  return
}
