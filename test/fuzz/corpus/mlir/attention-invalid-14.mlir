func.func @zero_kv_heads(%q: tensor<1x6x8xf32>, %k: tensor<1x0x8xf32>, %v: tensor<1x0x8xf32>, %kc: tensor<0x16x8xf32>, %vc: tensor<0x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects at least one key/value head}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x6x8xf32>, tensor<1x0x8xf32>, tensor<1x0x8xf32>, tensor<0x16x8xf32>, tensor<0x16x8xf32>, tensor<i64>
      -> tensor<1x6x8xf32>, tensor<0x16x8xf32>, tensor<0x16x8xf32>
  return
}
