// The defaults (theta = 10000, style = half) spelled out are dropped.
func.func @defaults_i32(%q: tensor<1x8x64xf32>, %pos: tensor<1xi32>) -> tensor<1x8x64xf32> {
  %y = tern.rope %q, %pos {theta = 10000.0 : f32, style = #tern.rope_style<half>} : tensor<1x8x64xf32>, tensor<1xi32> -> tensor<1x8x64xf32>
  return %y : tensor<1x8x64xf32>
}
