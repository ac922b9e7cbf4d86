func.func @output_shape(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects an output of shape 4x8 (the input's shape), got 'tensor<8x4xf32>'}}
  %y = tern.rms_norm %x, %g : tensor<4x8xf32>, tensor<8xf32> -> tensor<8x4xf32>
  return
}
