// i1, 8 signs per byte: K = 13 -> 2 bytes; block = 128 packs K = 130 into
// 2 blocks of 16 bytes.
func.func @i1(%w: tensor<640x2560xi8>, %a: tensor<2x13xi8>, %b: tensor<2x130xi8>)
    -> (tensor<640x320xi8>, tensor<2x2xi8>, tensor<2x2xi8>, tensor<2x32xi8>) {
  %p0 = tern.pack %w {layout = #tern.layout<i1>} : tensor<640x2560xi8> -> tensor<640x320xi8>
  %p1 = tern.pack %a {layout = #tern.layout<i1, block = 8>} : tensor<2x13xi8> -> tensor<2x2xi8>
  %p2 = tern.pack %a {layout = #tern.layout<i1, msb>} : tensor<2x13xi8> -> tensor<2x2xi8>
  %p3 = tern.pack %b {layout = #tern.layout<i1, block = 128, msb>} : tensor<2x130xi8> -> tensor<2x32xi8>
  return %p0, %p1, %p2, %p3 : tensor<640x320xi8>, tensor<2x2xi8>, tensor<2x2xi8>, tensor<2x32xi8>
}
