// Round trip of tern.attention: grouped-query attention (20 query heads over
// 5 key/value heads), multi-head (equal heads), prefill of several tokens,
// i32 and i64 positions, the default scale (absent) and an explicit one, and
// dynamic tokens and capacity.

func.func @gqa_decode(%q: tensor<1x20x128xf32>, %k: tensor<1x5x128xf32>, %v: tensor<1x5x128xf32>,
                      %kc: tensor<5x4096x128xf32>, %vc: tensor<5x4096x128xf32>, %p0: tensor<i64>)
    -> (tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>) {
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0
      : tensor<1x20x128xf32>, tensor<1x5x128xf32>, tensor<1x5x128xf32>,
        tensor<5x4096x128xf32>, tensor<5x4096x128xf32>, tensor<i64>
      -> tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>
  return %o, %kc2, %vc2 : tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>
}
