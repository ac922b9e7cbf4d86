func.func @style_string(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op attribute 'style' failed to satisfy constraint: which elements of a head RoPE rotates together}}
  %y = tern.rope %x, %p {style = "half"} : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x2x8xf32>
  return
}
