// The default granularity spelled out is dropped by the printer.
func.func @explicit_defaults(%w: tensor<8x16xf32>) -> tensor<8x16xi8> {
  %q, %s = tern.ternarize %w {granularity = #tern.scale<per_tensor>, epsilon = 1.0e-5 : f32} : tensor<8x16xf32> -> tensor<8x16xi8>, tensor<f32>
  return %q : tensor<8x16xi8>
}
