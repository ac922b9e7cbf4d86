// Every diagnostic of the tern.attention verifier, in the order it checks:
// ranks of query, key and key cache; key shape vs query; value shape vs key;
// key cache vs key heads and head_dim; value cache vs key cache; query heads
// a multiple of key/value heads; tokens <= cache capacity; a scalar position;
// a positive scale; the output type; the updated caches' types. Plus the ODS
// position type constraint.

func.func @query_rank(%q: tensor<8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a query [tokens, heads, head_dim] of rank 3, got 'tensor<8x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}
