func.func @result_rank(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a result of rank 2, got 'tensor<128xf32>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<128xf32>
  return
}
