func.func @output_shape_dynamic(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects an output of shape ?x8 (the input's shape), got 'tensor<4x16xf32>'}}
  %y = tern.rms_norm %x, %g : tensor<?x8xf32>, tensor<8xf32> -> tensor<4x16xf32>
  return
}
