func.func @zero_head_dim(%q: tensor<1x2x0xf32>, %k: tensor<1x1x0xf32>, %c: tensor<1x8x0xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a non-zero head dimension}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %k, %c, %c, %p
      : tensor<1x2x0xf32>, tensor<1x1x0xf32>, tensor<1x1x0xf32>, tensor<1x8x0xf32>, tensor<1x8x0xf32>, tensor<i64>
      -> tensor<1x2x0xf32>, tensor<1x8x0xf32>, tensor<1x8x0xf32>
  return
}
