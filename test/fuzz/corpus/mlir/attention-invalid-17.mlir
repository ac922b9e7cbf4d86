func.func @position_f32(%q: tensor<1x8x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %kc: tensor<4x16x8xf32>, %vc: tensor<4x16x8xf32>, %p: tensor<f32>) {
  // expected-error @+1 {{'tern.attention' op operand #5 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<f32>'}}
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p
      : tensor<1x8x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>, tensor<f32>
      -> tensor<1x8x8xf32>, tensor<4x16x8xf32>, tensor<4x16x8xf32>
  return
}
