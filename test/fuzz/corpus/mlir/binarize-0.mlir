// Round trip of tern.binarize: every scale granularity (including a short
// last group), f16 input and dynamic sizes. The default granularity
// (per_tensor) is not printed.

func.func @per_tensor(%w: tensor<64x128xf32>) -> (tensor<64x128xi8>, tensor<f32>) {
  %q, %s = tern.binarize %w : tensor<64x128xf32> -> tensor<64x128xi8>, tensor<f32>
  return %q, %s : tensor<64x128xi8>, tensor<f32>
}
