func.func @output_last_dim(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects an output of shape 4x8 (the input's shape), got 'tensor<4x9xi8>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x9xi8>, tensor<4xf32>
  return
}
