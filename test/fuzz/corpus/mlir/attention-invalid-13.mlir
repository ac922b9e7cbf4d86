// More key/value heads than query heads.
func.func @heads_fewer_than_kv(%q: tensor<1x4x8xf32>, %k: tensor<1x8x8xf32>, %v: tensor<1x8x8xf32>, %kc: tensor<8x16x8xf32>, %vc: tensor<8x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects the query heads (4) to be a multiple of the key/value heads (8)}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x4x8xf32>, tensor<1x8x8xf32>, tensor<1x8x8xf32>, tensor<8x16x8xf32>, tensor<8x16x8xf32>, tensor<i64>
      -> tensor<1x4x8xf32>, tensor<8x16x8xf32>, tensor<8x16x8xf32>
  return
}
