// A weight stored [K, N] instead of [N, K].
func.func @k_transposed(%a: tensor<4x64xi8>, %w: tensor<64x32xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 64 but the weight rows have 32}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x64xi32>
  return
}
