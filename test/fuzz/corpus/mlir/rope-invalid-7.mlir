func.func @positions_count(%x: tensor<4x2x8xf32>, %p: tensor<3xi64>) {
  // expected-error @+1 {{'tern.rope' op expects positions of shape 4 (one per token), got 'tensor<3xi64>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<3xi64> -> tensor<4x2x8xf32>
  return
}
