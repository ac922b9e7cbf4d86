func.func @weight_rank(%x: tensor<4x8xf32>, %g: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects a weight of shape 8 (the input's last dimension), got 'tensor<4x8xf32>'}}
  %y = tern.rms_norm %x, %g : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  return
}
