// Every diagnostic of the tern.ternarize verifier: input rank, values shape,
// scale shape for each granularity, and a non-positive (or NaN) epsilon; plus
// the ODS element-type and attribute constraints.

func.func @input_rank1(%w: tensor<64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a weight matrix of rank 2, got 'tensor<64xf32>'}}
  %q, %s = tern.ternarize %w : tensor<64xf32> -> tensor<64xi8>, tensor<f32>
  return
}
