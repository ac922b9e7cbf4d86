func.func @k_packed_i2(%a: tensor<4x2560xi8>, %w: tensor<640x320xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 2560, which #tern.layout<i2, block = 256> packs into 640 bytes per weight row, but the weight rows have 320}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<4x2560xi8>, tensor<640x320xi8> -> tensor<4x640xi32>
  return
}
