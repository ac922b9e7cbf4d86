// Q1_0-style groups of 128: K = 256 is 2 groups, K = 129 is 2 (the last short).
func.func @group(%a: tensor<64x256xf32>, %b: tensor<3x129xf16>) -> (tensor<64x2xf32>, tensor<3x2xf32>) {
  %q0, %s0 = tern.binarize %a {granularity = #tern.scale<group = 128>} : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<64x2xf32>
  %q1, %s1 = tern.binarize %b {granularity = #tern.scale<group = 128>} : tensor<3x129xf16> -> tensor<3x129xi8>, tensor<3x2xf32>
  return %s0, %s1 : tensor<64x2xf32>, tensor<3x2xf32>
}
