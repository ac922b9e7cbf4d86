func.func @i32_output(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x8xi32>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x8xi32>, tensor<4xf32>
  return
}
