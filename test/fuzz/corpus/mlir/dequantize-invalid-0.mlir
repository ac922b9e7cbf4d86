// Every diagnostic of the tern.dequantize verifier: input rank, output shape,
// row scale shape and column scale shape (scalar or one per column); plus the
// ODS type constraints.

func.func @rank0(%x: tensor<i32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.dequantize' op expects an input of rank >= 1, got 'tensor<i32>'}}
  %y = tern.dequantize %x, %s : tensor<i32>, tensor<f32> -> tensor<f32>
  return
}
