// A single start position is not accepted; rope wants one position per token.
func.func @positions_scalar(%x: tensor<4x2x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.rope' op expects positions of shape 4 (one per token), got 'tensor<i64>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<i64> -> tensor<4x2x8xf32>
  return
}
