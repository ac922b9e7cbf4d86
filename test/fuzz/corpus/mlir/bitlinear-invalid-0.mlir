// Every diagnostic of the tern.bitlinear verifier: a non-positive epsilon,
// the checks shared with tern.matmul (ranks, layout vs kind, K for unpacked
// and packed weights, result rows/columns), the weight scale shape for each
// granularity, and the bias shape; plus the ODS type constraints.

func.func @zero_epsilon(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a positive epsilon, got 0.000000e+00}}
  %y = tern.bitlinear %x, %w, %s {epsilon = 0.0 : f32} : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}
