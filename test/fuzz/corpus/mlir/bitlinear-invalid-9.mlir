func.func @result_rows(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op result has 3 rows but the activations have 4}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<3x32xf32>
  return
}
