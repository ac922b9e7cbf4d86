func.func @b3(%a: tensor<8x3xi8>, %b: tensor<4x64xi8>) -> (tensor<8x13xi8>, tensor<4x200xi8>) {
  %w0 = tern.unpack %a {layout = #tern.layout<b3, block = 5>} : tensor<8x3xi8> -> tensor<8x13xi8>
  %w1 = tern.unpack %b {layout = #tern.layout<b3, block = 160>} : tensor<4x64xi8> -> tensor<4x200xi8>
  return %w0, %w1 : tensor<8x13xi8>, tensor<4x200xi8>
}
