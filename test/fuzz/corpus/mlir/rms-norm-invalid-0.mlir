// Every diagnostic of the tern.rms_norm verifier: input rank, a negative
// epsilon (zero is allowed), the weight shape and the output shape; plus the
// ODS type constraints.

func.func @rank0(%x: tensor<f32>, %g: tensor<1xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects an input of rank >= 1, got 'tensor<f32>'}}
  %y = tern.rms_norm %x, %g : tensor<f32>, tensor<1xf32> -> tensor<f32>
  return
}
