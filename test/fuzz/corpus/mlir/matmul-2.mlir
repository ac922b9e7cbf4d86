func.func @packed_layouts(%a: tensor<1x2560xi8>, %w2: tensor<640x640xi8>, %w3: tensor<640x512xi8>)
    -> (tensor<1x640xi32>, tensor<1x640xi32>, tensor<1x640xi32>, tensor<1x640xi32>) {
  %0 = tern.matmul %a, %w2 {layout = #tern.layout<i2, block = 256>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
  %1 = tern.matmul %a, %w2 {layout = #tern.layout<i2, block = 128, msb>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
  %2 = tern.matmul %a, %w2 {layout = #tern.layout<i2>} : tensor<1x2560xi8>, tensor<640x640xi8> -> tensor<1x640xi32>
  %3 = tern.matmul %a, %w3 {layout = #tern.layout<b3, block = 160>} : tensor<1x2560xi8>, tensor<640x512xi8> -> tensor<1x640xi32>
  return %0, %1, %2, %3 : tensor<1x640xi32>, tensor<1x640xi32>, tensor<1x640xi32>, tensor<1x640xi32>
}
