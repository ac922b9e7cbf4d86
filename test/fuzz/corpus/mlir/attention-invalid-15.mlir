func.func @tokens_over_capacity(%q: tensor<32x8x8xf32>, %k: tensor<32x4x8xf32>, %v: tensor<32x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op appends 32 tokens to a cache of capacity 16}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<32x8x8xf32>, tensor<32x4x8xf32>, tensor<32x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<32x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}
