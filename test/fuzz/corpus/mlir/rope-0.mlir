// Round trip of tern.rope: half (default, not printed) and interleaved
// styles, i32 and i64 positions, a non-default theta and dynamic sizes.

func.func @half_i64(%q: tensor<4x20x128xf32>, %pos: tensor<4xi64>) -> tensor<4x20x128xf32> {
  %y = tern.rope %q, %pos {theta = 500000.0 : f32} : tensor<4x20x128xf32>, tensor<4xi64> -> tensor<4x20x128xf32>
  return %y : tensor<4x20x128xf32>
}
