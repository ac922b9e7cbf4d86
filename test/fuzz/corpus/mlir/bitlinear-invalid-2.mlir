func.func @input_rank(%x: tensor<64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects activations of rank 2, got 'tensor<64xf32>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<32xf32>
  return
}
