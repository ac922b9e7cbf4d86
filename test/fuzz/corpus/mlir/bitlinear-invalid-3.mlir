func.func @weight_rank(%x: tensor<4x64xf32>, %w: tensor<2048xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight of rank 2, got 'tensor<2048xi8>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<2048xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}
