// An unpacked weight given a packed layout.
func.func @k_packed_unpacked_weight(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 64, which #tern.layout<i2> packs into 16 bytes per weight row, but the weight rows have 64}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i2>} : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x32xi32>
  return
}
