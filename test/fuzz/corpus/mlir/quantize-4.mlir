func.func @half_precision(%a: tensor<4x64xf16>, %b: tensor<4x64xbf16>) -> (tensor<4xf32>, tensor<4xf32>) {
  %q0, %s0 = tern.quantize %a : tensor<4x64xf16> -> tensor<4x64xi8>, tensor<4xf32>
  %q1, %s1 = tern.quantize %b : tensor<4x64xbf16> -> tensor<4x64xi8>, tensor<4xf32>
  return %s0, %s1 : tensor<4xf32>, tensor<4xf32>
}
