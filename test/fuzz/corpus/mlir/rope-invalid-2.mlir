func.func @odd_head_dim(%x: tensor<4x2x7xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects an even, non-zero head dimension, got 7}}
  %y = tern.rope %x, %p : tensor<4x2x7xf32>, tensor<4xi64> -> tensor<4x2x7xf32>
  return
}
