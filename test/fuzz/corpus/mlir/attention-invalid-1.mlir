func.func @key_rank(%q: tensor<1x8x8xf32>, %k: tensor<4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a key [tokens, kv_heads, head_dim] of rank 3, got 'tensor<4x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}
