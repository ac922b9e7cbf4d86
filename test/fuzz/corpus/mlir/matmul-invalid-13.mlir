func.func @result_columns(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op result has 64 columns but the weight has 32 output rows (N)}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x64xi32>
  return
}
