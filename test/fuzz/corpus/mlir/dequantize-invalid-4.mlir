func.func @rank1_row_scale(%x: tensor<8xi8>, %s: tensor<1xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a row scale of shape [] (rank 0) (one scale per row), got 'tensor<1xf32>'}}
  %y = tern.dequantize %x, %s : tensor<8xi8>, tensor<1xf32> -> tensor<8xf32>
  return
}
