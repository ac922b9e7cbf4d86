func.func @negative_epsilon(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects a positive epsilon, got -2.500000e-01}}
  %q, %s = tern.quantize %x {epsilon = -0.25 : f32} : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<4xf32>
  return
}
