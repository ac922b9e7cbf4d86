func.func @weight_rank(%a: tensor<4x64xi8>, %w: tensor<2x32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op expects a weight of rank 2, got 'tensor<2x32x64xi8>'}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<2x32x64xi8> -> tensor<4x32xi32>
  return
}
