func.func @output_shape(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects an output of shape 4x2x8 (the input's shape), got 'tensor<4x8x2xf32>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x8x2xf32>
  return
}
