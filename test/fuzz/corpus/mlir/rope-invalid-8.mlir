func.func @positions_rank2(%x: tensor<4x2x8xf32>, %p: tensor<4x1xi32>) {
  // expected-error @+1 {{'tern.rope' op expects positions of shape 4 (one per token), got 'tensor<4x1xi32>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<4x1xi32> -> tensor<4x2x8xf32>
  return
}
