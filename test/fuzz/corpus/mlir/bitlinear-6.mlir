func.func @dynamic(%x: tensor<?x2560xf32>, %w: tensor<640x640xi8>, %s: tensor<640xf32>, %b: tensor<640xf32>,
                   %x2: tensor<?x?xf32>, %w2: tensor<?x?xi8>, %s2: tensor<?x?xf32>) -> (tensor<?x640xf32>, tensor<?x?xf32>) {
  %y = tern.bitlinear %x, %w, %s, %b {granularity = #tern.scale<per_row>, layout = #tern.layout<i2, block = 128, msb>} : tensor<?x2560xf32>, tensor<640x640xi8>, tensor<640xf32>, tensor<640xf32> -> tensor<?x640xf32>
  %y2 = tern.bitlinear %x2, %w2, %s2 {granularity = #tern.scale<group = 128>} : tensor<?x?xf32>, tensor<?x?xi8>, tensor<?x?xf32> -> tensor<?x?xf32>
  return %y, %y2 : tensor<?x640xf32>, tensor<?x?xf32>
}
