func.func @input_rank0(%w: tensor<f32>) {
  // expected-error @+1 {{'tern.binarize' op expects a weight matrix of rank 2, got 'tensor<f32>'}}
  %q, %s = tern.binarize %w : tensor<f32> -> tensor<i8>, tensor<f32>
  return
}
