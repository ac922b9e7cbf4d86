func.func @invalid_layout(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{block 6 of an i2 layout must be a multiple of 4 between 4 and 65536}}
  %p = tern.pack %x {layout = #tern.layout<i2, block = 6>} : tensor<4x8xi8> -> tensor<4x2xi8>
  return
}
