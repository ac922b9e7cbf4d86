func.func @half_precision(%a: tensor<16x32xf16>, %b: tensor<16x32xbf16>) -> (tensor<f32>, tensor<16xf32>) {
  %q0, %s0 = tern.ternarize %a : tensor<16x32xf16> -> tensor<16x32xi8>, tensor<f32>
  %q1, %s1 = tern.ternarize %b {granularity = #tern.scale<per_row>} : tensor<16x32xbf16> -> tensor<16x32xi8>, tensor<16xf32>
  return %s0, %s1 : tensor<f32>, tensor<16xf32>
}
