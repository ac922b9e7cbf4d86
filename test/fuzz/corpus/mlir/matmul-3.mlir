// K = 300 does not fill the last block: i2 block 256 stores 2 * 64 bytes,
// b3 stores ceil(300 / 5) = 60 bytes.
func.func @partial_block(%a: tensor<2x300xi8>, %w: tensor<16x128xi8>, %v: tensor<16x60xi8>) -> (tensor<2x16xi32>, tensor<2x16xi32>) {
  %0 = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<2x300xi8>, tensor<16x128xi8> -> tensor<2x16xi32>
  %1 = tern.matmul %a, %v {layout = #tern.layout<b3>} : tensor<2x300xi8>, tensor<16x60xi8> -> tensor<2x16xi32>
  return %0, %1 : tensor<2x16xi32>, tensor<2x16xi32>
}
