// Every diagnostic of the tern.rope verifier: input rank, an odd head
// dimension, a non-positive (or NaN) theta, the positions shape (one per
// token) and the output shape; plus the ODS type and style constraints.

func.func @rank2(%x: tensor<4x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects an input [tokens, heads, head_dim] of rank 3, got 'tensor<4x8xf32>'}}
  %y = tern.rope %x, %p : tensor<4x8xf32>, tensor<4xi64> -> tensor<4x8xf32>
  return
}
