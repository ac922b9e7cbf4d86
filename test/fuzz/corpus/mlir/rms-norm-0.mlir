// Round trip of tern.rms_norm: rank 1, 2 and 3 inputs, a non-default epsilon,
// a zero epsilon (allowed: the verifier only rejects negative ones) and
// dynamic sizes. The default epsilon (1e-5) is not printed.

func.func @rank2(%x: tensor<4x2560xf32>, %g: tensor<2560xf32>) -> tensor<4x2560xf32> {
  %y = tern.rms_norm %x, %g : tensor<4x2560xf32>, tensor<2560xf32> -> tensor<4x2560xf32>
  return %y : tensor<4x2560xf32>
}
