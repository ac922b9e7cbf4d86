// The default epsilon spelled out is dropped by the printer.
func.func @explicit_default(%x: tensor<1x8xf32>) -> tensor<1xf32> {
  %q, %s = tern.quantize %x {epsilon = 1.0e-5 : f32} : tensor<1x8xf32> -> tensor<1x8xi8>, tensor<1xf32>
  return %s : tensor<1xf32>
}
