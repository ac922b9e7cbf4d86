func.func @i1(%a: tensor<2x2xi8>, %b: tensor<2x32xi8>) -> (tensor<2x13xi8>, tensor<2x16xi8>, tensor<2x130xi8>) {
  %w0 = tern.unpack %a {layout = #tern.layout<i1>} : tensor<2x2xi8> -> tensor<2x13xi8>
  %w1 = tern.unpack %a {layout = #tern.layout<i1, msb>} : tensor<2x2xi8> -> tensor<2x16xi8>
  %w2 = tern.unpack %b {layout = #tern.layout<i1, block = 128>} : tensor<2x32xi8> -> tensor<2x130xi8>
  return %w0, %w1, %w2 : tensor<2x13xi8>, tensor<2x16xi8>, tensor<2x130xi8>
}
