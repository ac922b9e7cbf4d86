func.func @dynamic(%w: tensor<?x?xbf16>) -> tensor<?x?xf32> {
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 32>} : tensor<?x?xbf16> -> tensor<?x?xi8>, tensor<?x?xf32>
  return %s : tensor<?x?xf32>
}
