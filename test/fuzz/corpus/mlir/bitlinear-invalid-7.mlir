func.func @k_packed(%x: tensor<4x2560xf32>, %w: tensor<640x512xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op K dimensions disagree: the activations have K = 2560, which #tern.layout<i2, block = 128, msb> packs into 640 bytes per weight row, but the weight rows have 512}}
  %y = tern.bitlinear %x, %w, %s {layout = #tern.layout<i2, block = 128, msb>} : tensor<4x2560xf32>, tensor<640x512xi8>, tensor<f32> -> tensor<4x640xf32>
  return
}
