func.func @rank4(%x: tensor<1x4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects an input [tokens, heads, head_dim] of rank 3, got 'tensor<1x4x2x8xf32>'}}
  %y = tern.rope %x, %p : tensor<1x4x2x8xf32>, tensor<4xi64> -> tensor<1x4x2x8xf32>
  return
}
