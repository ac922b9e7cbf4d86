func.func @f32_result(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op result #0 must be ranked tensor of 32-bit signless integer values, but got 'tensor<4x32xf32>'}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x32xf32>
  return
}
