// Dynamic tokens, heads and head_dim (the even-head-dim check needs it static).
func.func @dynamic(%a: tensor<?x20x128xf32>, %pa: tensor<?xi64>, %b: tensor<?x?x?xf32>, %pb: tensor<?xi32>)
    -> (tensor<?x20x128xf32>, tensor<?x?x?xf32>) {
  %0 = tern.rope %a, %pa : tensor<?x20x128xf32>, tensor<?xi64> -> tensor<?x20x128xf32>
  %1 = tern.rope %b, %pb {style = #tern.rope_style<interleaved>} : tensor<?x?x?xf32>, tensor<?xi32> -> tensor<?x?x?xf32>
  return %0, %1 : tensor<?x20x128xf32>, tensor<?x?x?xf32>
}
