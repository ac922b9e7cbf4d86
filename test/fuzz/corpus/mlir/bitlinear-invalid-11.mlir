func.func @per_tensor_scale(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<32xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape [] (rank 0) (one scale per tensor for #tern.scale<per_tensor>), got 'tensor<32xf32>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x64xi8>, tensor<32xf32> -> tensor<4x32xf32>
  return
}
