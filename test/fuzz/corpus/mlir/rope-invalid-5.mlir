func.func @negative_theta(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects a positive theta}}
  %y = tern.rope %x, %p {theta = -10000.0 : f32} : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x2x8xf32>
  return
}
