func.func @minus_infinity_epsilon(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects a non-negative epsilon}}
  %y = tern.rms_norm %x, %g {epsilon = 0xFF800000 : f32} : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  return
}
