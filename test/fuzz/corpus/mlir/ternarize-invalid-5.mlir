func.func @per_tensor_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape [] (rank 0) (one scale per tensor for #tern.scale<per_tensor>), got 'tensor<4xf32>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4xf32>
  return
}
