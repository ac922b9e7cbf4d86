func.func @k_unpacked(%a: tensor<4x64xi8>, %w: tensor<32x60xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 64 but the weight rows have 60}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x60xi8> -> tensor<4x32xi32>
  return
}
