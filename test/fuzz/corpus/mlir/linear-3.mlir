func.func @int8(%x: tensor<1x64xf32>, %w: tensor<32x64xi8>, %s: tensor<32xf32>) -> tensor<1x32xf32> {
  %y = tern.linear %x, %w scale %s : tensor<1x64xf32>, tensor<32x64xi8>, tensor<32xf32> -> tensor<1x32xf32>
  return %y : tensor<1x32xf32>
}
