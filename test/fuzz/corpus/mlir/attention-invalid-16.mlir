func.func @position_rank1(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<1xi64>) {
  // expected-error @+1 {{'tern.attention' op expects a scalar (rank 0) position, got 'tensor<1xi64>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<1xi64>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}
