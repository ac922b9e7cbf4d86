func.func @k_packed_i1(%a: tensor<4x64xi8>, %w: tensor<32x16xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 64, which #tern.layout<i1> packs into 8 bytes per weight row, but the weight rows have 16}}
  %y = tern.matmul %a, %w {kind = #tern.kind<binary>, layout = #tern.layout<i1>} : tensor<4x64xi8>, tensor<32x16xi8> -> tensor<4x32xi32>
  return
}
