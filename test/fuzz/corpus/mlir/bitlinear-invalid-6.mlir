func.func @k_unpacked(%x: tensor<4x64xf32>, %w: tensor<32x32xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op K dimensions disagree: the activations have K = 64 but the weight rows have 32}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x32xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}
