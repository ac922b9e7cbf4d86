// Multi-head attention (Hq = Hkv) with a cache exactly as large as the tokens.
func.func @mha_full_cache(%q: tensor<4x4x32xf32>, %k: tensor<4x4x32xf32>, %v: tensor<4x4x32xf32>,
                          %kc: tensor<4x4x32xf32>, %vc: tensor<4x4x32xf32>, %p0: tensor<i64>) -> tensor<4x4x32xf32> {
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0
      : tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<i64>
      -> tensor<4x4x32xf32>, tensor<4x4x32xf32>, tensor<4x4x32xf32>
  return %o : tensor<4x4x32xf32>
}
