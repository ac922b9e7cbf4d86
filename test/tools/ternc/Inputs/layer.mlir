// A BitNet linear layer with float weights and a bias, the model most ternc
// tests compile. mean|W| = 0.5, so ternarization gives gamma = 0.5 and trits
// [[1, -1, 0, 0, 1, 1, -1, 0], [1, 1, -1, 0, 1, -1, 0, 0], [0, 0, 1, 1, -1, -1, 0, 0]];
// in an i2 layout with a block of at least 32 every weight sits alone in its
// byte: 0x54 + (w + 1), i.e. 0x55 ('U') for 0, 0x56 ('V') for 1, 0x54 ('T')
// for -1, and 0x55 for padding.
func.func @layer(%x: tensor<?x8xf32>, %bias: tensor<3xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[1.0, -1.0, 0.25, 0.0, 0.5, 0.5, -0.5, -0.25], [0.5, 0.5, -0.5, -0.25, 1.0, -1.0, 0.25, 0.0], [0.0, 0.0, 1.0, 1.0, -1.0, -1.0, 0.0, 0.0]]> : tensor<3x8xf32>
  %trits, %gamma = tern.ternarize %w : tensor<3x8xf32> -> tensor<3x8xi8>, tensor<f32>
  %y = tern.bitlinear %x, %trits, %gamma, %bias : tensor<?x8xf32>, tensor<3x8xi8>, tensor<f32>, tensor<3xf32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
