func.func @dynamic(%x: tensor<?x2560xf32>) -> tensor<?xf32> {
  %q, %s = tern.quantize %x : tensor<?x2560xf32> -> tensor<?x2560xi8>, tensor<?xf32>
  return %s : tensor<?xf32>
}
