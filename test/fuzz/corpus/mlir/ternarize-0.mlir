// Round trip of tern.ternarize: every scale granularity, a non-default
// epsilon, f16/bf16 inputs and dynamic sizes. Default attributes
// (granularity = per_tensor, epsilon = 1e-5) are not printed.

func.func @per_tensor(%w: tensor<64x128xf32>) -> (tensor<64x128xi8>, tensor<f32>) {
  %q, %s = tern.ternarize %w : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<f32>
  return %q, %s : tensor<64x128xi8>, tensor<f32>
}
