// K = 300 pads to 2 blocks of 256: 128 bytes, not 75.
func.func @k_packed_padding(%a: tensor<2x300xi8>, %w: tensor<16x75xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 300, which #tern.layout<i2, block = 256> packs into 128 bytes per weight row, but the weight rows have 75}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<2x300xi8>, tensor<16x75xi8> -> tensor<2x16xi32>
  return
}
