// Dynamic tokens and capacity.
func.func @dynamic(%q: tensor<?x20x128xf32>, %k: tensor<?x5x128xf32>, %v: tensor<?x5x128xf32>,
                   %kc: tensor<5x?x128xf32>, %vc: tensor<5x?x128xf32>, %p0: tensor<i64>) -> tensor<?x20x128xf32> {
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0 {scale = 0.08837890625 : f32}
      : tensor<?x20x128xf32>, tensor<?x5x128xf32>, tensor<?x5x128xf32>, tensor<5x?x128xf32>, tensor<5x?x128xf32>, tensor<i64>
      -> tensor<?x20x128xf32>, tensor<5x?x128xf32>, tensor<5x?x128xf32>
  return %o : tensor<?x20x128xf32>
}
