// The result (unpacked) is checked for rank >= 1 first.
func.func @rank0_result(%x: tensor<8xi8>) {
  // expected-error @+1 {{'tern.unpack' op expects tensors of rank >= 1, got 'tensor<i8>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<8xi8> -> tensor<i8>
  return
}
