// Every diagnostic of the tern.quantize verifier: input rank, non-positive
// epsilon, output shape and per-row scale shape; plus the ODS type
// constraints.

func.func @rank0(%x: tensor<f32>) {
  // expected-error @+1 {{'tern.quantize' op expects an input of rank >= 1, got 'tensor<f32>'}}
  %q, %s = tern.quantize %x : tensor<f32> -> tensor<i8>, tensor<f32>
  return
}
