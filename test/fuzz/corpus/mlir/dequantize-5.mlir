func.func @dynamic(%acc: tensor<?x?xi32>, %s: tensor<?xf32>, %c: tensor<?xf32>,
                   %acc2: tensor<?x640xi32>, %s2: tensor<4xf32>, %c2: tensor<640xf32>) -> (tensor<?x?xf32>, tensor<4x?xf32>) {
  %y = tern.dequantize %acc, %s, %c : tensor<?x?xi32>, tensor<?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  %y2 = tern.dequantize %acc2, %s2, %c2 : tensor<?x640xi32>, tensor<4xf32>, tensor<640xf32> -> tensor<4x?xf32>
  return %y, %y2 : tensor<?x?xf32>, tensor<4x?xf32>
}
