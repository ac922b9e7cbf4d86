// Verifiers accept dynamic sizes wherever the static ones would agree: a
// check is made only where both sides are static.

func.func @dynamic(%x: tensor<?x?xf32>, %w: tensor<?x64xi8>, %ws: tensor<?xf32>, %wd: tensor<?x?xi8>, %gs: tensor<?x?xf32>, %g: tensor<?xf32>) {
  %q, %s = tern.quantize %x : tensor<?x?xf32> -> tensor<?x?xi8>, tensor<?xf32>
  %acc = tern.matmul %q, %w {layout = #tern.layout<i2, block = 256>} : tensor<?x?xi8>, tensor<?x64xi8> -> tensor<?x?xi32>
  %y = tern.dequantize %acc, %s, %ws : tensor<?x?xi32>, tensor<?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  %z = tern.bitlinear %x, %wd, %gs {granularity = #tern.scale<group = 128>} : tensor<?x?xf32>, tensor<?x?xi8>, tensor<?x?xf32> -> tensor<?x?xf32>
  %n = tern.rms_norm %x, %g : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  return
}
