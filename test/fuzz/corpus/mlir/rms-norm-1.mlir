func.func @epsilons(%x: tensor<2560xf32>, %g: tensor<2560xf32>) -> (tensor<2560xf32>, tensor<2560xf32>, tensor<2560xf32>) {
  %0 = tern.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>
  %1 = tern.rms_norm %x, %g {epsilon = 0.0 : f32} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>
  %2 = tern.rms_norm %x, %g {epsilon = 1.0e-5 : f32} : tensor<2560xf32>, tensor<2560xf32> -> tensor<2560xf32>
  return %0, %1, %2 : tensor<2560xf32>, tensor<2560xf32>, tensor<2560xf32>
}
