// Unpacked weights and every default spelled out: nothing but types printed.
func.func @defaults(%x: tensor<2x64xf32>, %w: tensor<32x64xi8>, %gamma: tensor<f32>) -> tensor<2x32xf32> {
  %y = tern.bitlinear %x, %w, %gamma {kind = #tern.kind<ternary>, layout = #tern.layout<i8>, granularity = #tern.scale<per_tensor>, epsilon = 1.0e-5 : f32} : tensor<2x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<2x32xf32>
  return %y : tensor<2x32xf32>
}
