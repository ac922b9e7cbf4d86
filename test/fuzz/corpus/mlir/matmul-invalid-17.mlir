func.func @kind_not_a_kind(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op attribute 'kind' failed to satisfy constraint: the value domain of a low-bit weight}}
  %y = tern.matmul %a, %w {kind = #tern.layout<i8>} : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x32xi32>
  return
}
