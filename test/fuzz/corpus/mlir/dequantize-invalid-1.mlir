func.func @output_shape(%x: tensor<4x8xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects an output of shape 4x8 (the input's shape), got 'tensor<4x9xf32>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi32>, tensor<4xf32> -> tensor<4x9xf32>
  return
}
