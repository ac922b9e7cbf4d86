func.func @result_rank(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op expects a result of rank 2, got 'tensor<1x4x32xi32>'}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<1x4x32xi32>
  return
}
