func.func @negative_epsilon(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a positive epsilon, got -1.000000e-05}}
  %y = tern.bitlinear %x, %w, %s {epsilon = -1.0e-5 : f32} : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}
