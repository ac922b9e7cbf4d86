func.func @per_tensor_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape [] (rank 0) (one scale per tensor for #tern.scale<per_tensor>), got 'tensor<1xf32>'}}
  %q, %s = tern.binarize %w : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<1xf32>
  return
}
