func.func @k_packed_b3(%a: tensor<4x13xi8>, %w: tensor<32x2xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 13, which #tern.layout<b3> packs into 3 bytes per weight row, but the weight rows have 2}}
  %y = tern.matmul %a, %w {layout = #tern.layout<b3>} : tensor<4x13xi8>, tensor<32x2xi8> -> tensor<4x32xi32>
  return
}
