func.func @rank(%x: tensor<64xf32>, %w: tensor<8x64xf32>) {
  // expected-error @+1 {{'tern.linear' op expects an input of rank 2, got 'tensor<64xf32>'}}
  %y = tern.linear %x, %w : tensor<64xf32>, tensor<8x64xf32> -> tensor<8xf32>
  return
}
