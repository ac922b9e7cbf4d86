// Verifier errors of tern.linear.

func.func @k_mismatch(%x: tensor<2x64xf32>, %w: tensor<8x32xf32>) {
  // expected-error @+1 {{'tern.linear' op K dimensions disagree: the input has K = 64 but the weight rows have 32}}
  %y = tern.linear %x, %w : tensor<2x64xf32>, tensor<8x32xf32> -> tensor<2x8xf32>
  return
}
