func.func @bf16(%x: tensor<1x2560xf32>, %w: tensor<128256x2560xbf16>) -> tensor<1x128256xf32> {
  %y = tern.linear %x, %w : tensor<1x2560xf32>, tensor<128256x2560xbf16> -> tensor<1x128256xf32>
  return %y : tensor<1x128256xf32>
}
