func.func @ranks_and_dynamic(%a: tensor<4xi8>, %b: tensor<2x3x3xi8>, %c: tensor<?x640xi8>, %d: tensor<4x?xi8>)
    -> (tensor<13xi8>, tensor<2x3x13xi8>, tensor<?x2560xi8>, tensor<4x?xi8>) {
  %w0 = tern.unpack %a {layout = #tern.layout<i2>} : tensor<4xi8> -> tensor<13xi8>
  %w1 = tern.unpack %b {layout = #tern.layout<b3>} : tensor<2x3x3xi8> -> tensor<2x3x13xi8>
  %w2 = tern.unpack %c {layout = #tern.layout<i2, block = 256>} : tensor<?x640xi8> -> tensor<?x2560xi8>
  %w3 = tern.unpack %d {layout = #tern.layout<i1>} : tensor<4x?xi8> -> tensor<4x?xi8>
  return %w0, %w1, %w2, %w3 : tensor<13xi8>, tensor<2x3x13xi8>, tensor<?x2560xi8>, tensor<4x?xi8>
}
