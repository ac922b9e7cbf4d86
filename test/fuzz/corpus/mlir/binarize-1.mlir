// The default granularity spelled out is dropped by the printer.
func.func @explicit_default(%w: tensor<2x8xf32>) -> tensor<f32> {
  %q, %s = tern.binarize %w {granularity = #tern.scale<per_tensor>} : tensor<2x8xf32> -> tensor<2x8xi8>, tensor<f32>
  return %s : tensor<f32>
}
