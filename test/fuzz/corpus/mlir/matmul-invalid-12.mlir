func.func @result_rows(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op result has 5 rows but the activations have 4}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<5x32xi32>
  return
}
