func.func @missing_layout(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op requires attribute 'layout'}}
  %p = tern.pack %x : tensor<4x8xi8> -> tensor<4x2xi8>
  return
}
