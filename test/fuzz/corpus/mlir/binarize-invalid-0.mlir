// Every diagnostic of the tern.binarize verifier: input rank, values shape
// and the scale shape for each granularity; plus the ODS type constraints.
// tern.binarize has no epsilon.

func.func @input_rank1(%w: tensor<64xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects a weight matrix of rank 2, got 'tensor<64xf32>'}}
  %q, %s = tern.binarize %w : tensor<64xf32> -> tensor<64xi8>, tensor<f32>
  return
}
