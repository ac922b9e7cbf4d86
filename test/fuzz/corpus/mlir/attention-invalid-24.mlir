func.func @new_value_cache_type(%q: tensor<?x8x8xf32>, %k: tensor<?x4x8xf32>, %v: tensor<?x4x8xf32>, %kc: tensor<4x?x8xf32>, %vc: tensor<4x?x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects the updated}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<?x8x8xf32>, tensor<?x4x8xf32>, tensor<?x4x8xf32>, tensor<4x?x8xf32>, tensor<4x?x8xf32>, tensor<i64>
      -> tensor<?x8x8xf32>, tensor<4x?x8xf32>, tensor<4x16x8xf32>
  return
}
