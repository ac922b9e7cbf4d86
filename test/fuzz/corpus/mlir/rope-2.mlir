func.func @interleaved(%q: tensor<4x20x128xf32>, %p32: tensor<4xi32>, %p64: tensor<4xi64>) -> (tensor<4x20x128xf32>, tensor<4x20x128xf32>) {
  %0 = tern.rope %q, %p32 {style = #tern.rope_style<interleaved>} : tensor<4x20x128xf32>, tensor<4xi32> -> tensor<4x20x128xf32>
  %1 = tern.rope %q, %p64 {theta = 500000.0 : f32, style = #tern.rope_style<interleaved>} : tensor<4x20x128xf32>, tensor<4xi64> -> tensor<4x20x128xf32>
  return %0, %1 : tensor<4x20x128xf32>, tensor<4x20x128xf32>
}
