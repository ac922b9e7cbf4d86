func.func @zero_epsilon(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects a positive epsilon, got 0.000000e+00}}
  %q, %s = tern.quantize %x {epsilon = 0.0 : f32} : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<4xf32>
  return
}
