func.func @odd_head_dim_interleaved(%x: tensor<4x2x9xf32>, %p: tensor<4xi32>) {
  // expected-error @+1 {{'tern.rope' op expects an even, non-zero head dimension, got 9}}
  %y = tern.rope %x, %p {style = #tern.rope_style<interleaved>} : tensor<4x2x9xf32>, tensor<4xi32> -> tensor<4x2x9xf32>
  return
}
