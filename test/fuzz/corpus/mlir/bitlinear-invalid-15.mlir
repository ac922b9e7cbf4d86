func.func @group_scale_binary_i1(%x: tensor<4x256xf32>, %w: tensor<32x32xi8>, %s: tensor<32xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape 32x2 (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<32xf32>'}}
  %y = tern.bitlinear %x, %w, %s {kind = #tern.kind<binary>, layout = #tern.layout<i1>, granularity = #tern.scale<group = 128>} : tensor<4x256xf32>, tensor<32x32xi8>, tensor<32xf32> -> tensor<4x32xf32>
  return
}
