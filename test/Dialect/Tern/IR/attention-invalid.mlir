// Every diagnostic of the tern.attention verifier, in the order it checks:
// ranks of query, key and key cache; key shape vs query; value shape vs key;
// key cache vs key heads and head_dim; value cache vs key cache; query heads
// a multiple of key/value heads; tokens <= cache capacity; a scalar position;
// a positive scale; the output type; the updated caches' types. Plus the ODS
// position type constraint.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @query_rank(%q: tensor<8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a query [tokens, heads, head_dim] of rank 3, got 'tensor<8x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @key_rank(%q: tensor<1x8x8xf32>, %k: tensor<4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a key [tokens, kv_heads, head_dim] of rank 3, got 'tensor<4x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @key_cache_rank(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<16x8xf32>, %vc: tensor<16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a key cache [kv_heads, capacity, head_dim] of rank 3, got 'tensor<16x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<16x8xf32>, tensor<16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<16x8xf32>, tensor<16x8xf32>
  return
}

// -----

func.func @key_tokens(%q: tensor<1x8x8xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a key of shape 1x4x8 (the query's tokens and head_dim), got 'tensor<2x4x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @key_head_dim(%q: tensor<1x8x8xf32>, %k: tensor<1x4x16xf32>, %v: tensor<1x4x16xf32>, %kc: tensor<4x16x16xf32>, %vc: tensor<4x16x16xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a key of shape 1x4x8 (the query's tokens and head_dim), got 'tensor<1x4x16xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<4x16x16xf32>, tensor<4x16x16xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x16xf32>, tensor<4x16x16xf32>
  return
}

// -----

func.func @value_head_dim(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x4xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a value of shape 1x4x8 (the key's shape), got 'tensor<1x4x4xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x4xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @value_tokens(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<2x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a value of shape 1x4x8 (the key's shape), got 'tensor<2x4x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<2x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @value_rank(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a value of shape 1x4x8 (the key's shape), got 'tensor<4x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @key_cache_heads(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<2x16x8xf32>, %vc: tensor<2x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a key cache of shape 4x16x8 ([kv_heads, capacity, head_dim]), got 'tensor<2x16x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<2x16x8xf32>, tensor<2x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<2x16x8xf32>, tensor<2x16x8xf32>
  return
}

// -----

func.func @key_cache_head_dim(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x4xf32>, %vc: tensor<4x16x4xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a key cache of shape 4x16x8 ([kv_heads, capacity, head_dim]), got 'tensor<4x16x4xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x4xf32>, tensor<4x16x4xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x4xf32>, tensor<4x16x4xf32>
  return
}

// -----

func.func @value_cache_capacity(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x32x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a value cache of shape 4x16x8 (the key cache's shape), got 'tensor<4x32x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x32x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x32x8xf32>
  return
}

// -----

func.func @value_cache_rank(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a value cache of shape 4x16x8 (the key cache's shape), got 'tensor<16x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<16x8xf32>
  return
}

// -----

func.func @heads_not_multiple(%q: tensor<1x6x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects the query heads (6) to be a multiple of the key/value heads (4)}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x6x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x6x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

// More key/value heads than query heads.
func.func @heads_fewer_than_kv(%q: tensor<1x4x8xf32>, %k: tensor<1x8x8xf32>, %v: tensor<1x8x8xf32>, %kc: tensor<8x16x8xf32>, %vc: tensor<8x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects the query heads (4) to be a multiple of the key/value heads (8)}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x4x8xf32>, tensor<1x8x8xf32>, tensor<1x8x8xf32>, tensor<8x16x8xf32>, tensor<8x16x8xf32>, tensor<i64>
      -> tensor<1x4x8xf32>, tensor<8x16x8xf32>, tensor<8x16x8xf32>
  return
}

// -----

func.func @zero_kv_heads(%q: tensor<1x6x8xf32>, %k: tensor<1x0x8xf32>, %v: tensor<1x0x8xf32>, %kc: tensor<0x16x8xf32>, %vc: tensor<0x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects at least one key/value head}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x6x8xf32>, tensor<1x0x8xf32>, tensor<1x0x8xf32>, tensor<0x16x8xf32>, tensor<0x16x8xf32>, tensor<i64>
      -> tensor<1x6x8xf32>, tensor<0x16x8xf32>, tensor<0x16x8xf32>
  return
}

// -----

func.func @tokens_over_capacity(%q: tensor<32x8x8xf32>, %k: tensor<32x4x8xf32>, %v: tensor<32x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op appends 32 tokens to a cache of capacity 16}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<32x8x8xf32>, tensor<32x4x8xf32>, tensor<32x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<32x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @position_rank1(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<1xi64>) {
  // expected-error @+1 {{'tern.attention' op expects a scalar (rank 0) position, got 'tensor<1xi64>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<1xi64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @position_f32(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<f32>) {
  // expected-error @+1 {{'tern.attention' op operand #5 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<f32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<f32>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @zero_scale(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a positive scale}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p {scale = 0.0 : f32}
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @negative_scale(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a positive scale}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p {scale = -0.5 : f32}
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @nan_scale(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a positive scale}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p {scale = 0x7FC00000 : f32}
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @output_type(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects the output type to be the query type 'tensor<1x8x8xf32>', got 'tensor<1x8x4xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x4xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

// The output type must equal the query type exactly: no refining a dynamic size.
func.func @output_type_dynamic(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i32>) {
  // expected-error @+1 {{'tern.attention' op expects the output type to be the query type 'tensor<1x8x8xf32>', got 'tensor<?x8x8xf32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i32>
      -> tensor<?x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @new_key_cache_type(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects the updated}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<i64>
      -> tensor<1x8x8xf32>, tensor<4x32x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @new_value_cache_type(%q: tensor<?x8x8xf32>, %k: tensor<?x4x8xf32>, %v: tensor<?x4x8xf32>, %kc: tensor<4x?x8xf32>, %vc: tensor<4x?x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects the updated}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<?x8x8xf32>, tensor<?x4x8xf32>, tensor<?x4x8xf32>, tensor<4x?x8xf32>, tensor<4x?x8xf32>, tensor<i64>
      -> tensor<?x8x8xf32>, tensor<4x?x8xf32>, tensor<4x16x8xf32>
  return
}

// -----

func.func @zero_head_dim(%q: tensor<1x2x0xf32>, %k: tensor<1x1x0xf32>, %c: tensor<1x8x0xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.attention' op expects a non-zero head dimension}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %k, %c, %c, %p
      : tensor<1x2x0xf32>, tensor<1x1x0xf32>, tensor<1x1x0xf32>, tensor<1x8x0xf32>, tensor<1x8x0xf32>, tensor<i64>
      -> tensor<1x2x0xf32>, tensor<1x8x0xf32>, tensor<1x8x0xf32>
  return
}
