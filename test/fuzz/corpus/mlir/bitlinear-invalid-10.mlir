func.func @result_columns(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op result has 31 columns but the weight has 32 output rows (N)}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<4x31xf32>
  return
}
