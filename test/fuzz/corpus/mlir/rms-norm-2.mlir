// Rank 3 (per-head norm, e.g. QK-norm) and dynamic sizes.
func.func @rank3_dynamic(%a: tensor<4x20x128xf32>, %ga: tensor<128xf32>, %b: tensor<?x2560xf32>, %gb: tensor<2560xf32>,
                         %c: tensor<?x?xf32>, %gc: tensor<?xf32>) -> (tensor<4x20x128xf32>, tensor<?x2560xf32>, tensor<?x?xf32>) {
  %0 = tern.rms_norm %a, %ga : tensor<4x20x128xf32>, tensor<128xf32> -> tensor<4x20x128xf32>
  %1 = tern.rms_norm %b, %gb : tensor<?x2560xf32>, tensor<2560xf32> -> tensor<?x2560xf32>
  %2 = tern.rms_norm %c, %gc : tensor<?x?xf32>, tensor<?xf32> -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<4x20x128xf32>, tensor<?x2560xf32>, tensor<?x?xf32>
}
