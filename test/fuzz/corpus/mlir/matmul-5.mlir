// Dynamic M (tokens) and dynamic N; a dynamic K skips the packed-size check.
func.func @dynamic(%a: tensor<?x2560xi8>, %w: tensor<640x640xi8>, %wn: tensor<?x640xi8>, %ak: tensor<1x?xi8>, %w3: tensor<8x7xi8>)
    -> (tensor<?x640xi32>, tensor<?x?xi32>, tensor<1x8xi32>) {
  %0 = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x2560xi8>, tensor<640x640xi8> -> tensor<?x640xi32>
  %1 = tern.matmul %a, %wn {layout = #tern.layout<i2>} : tensor<?x2560xi8>, tensor<?x640xi8> -> tensor<?x?xi32>
  %2 = tern.matmul %ak, %w3 {layout = #tern.layout<b3>} : tensor<1x?xi8>, tensor<8x7xi8> -> tensor<1x8xi32>
  return %0, %1, %2 : tensor<?x640xi32>, tensor<?x?xi32>, tensor<1x8xi32>
}
