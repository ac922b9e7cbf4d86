// Dynamic leading dimensions; a dynamic K leaves the packed size dynamic.
func.func @dynamic(%a: tensor<?x2560xi8>, %b: tensor<?x?x13xi8>, %c: tensor<4x?xi8>)
    -> (tensor<?x640xi8>, tensor<?x?x3xi8>, tensor<4x?xi8>) {
  %p0 = tern.pack %a {layout = #tern.layout<i2, block = 256>} : tensor<?x2560xi8> -> tensor<?x640xi8>
  %p1 = tern.pack %b {layout = #tern.layout<b3>} : tensor<?x?x13xi8> -> tensor<?x?x3xi8>
  %p2 = tern.pack %c {layout = #tern.layout<i1>} : tensor<4x?xi8> -> tensor<4x?xi8>
  return %p0, %p1, %p2 : tensor<?x640xi8>, tensor<?x?x3xi8>, tensor<4x?xi8>
}
