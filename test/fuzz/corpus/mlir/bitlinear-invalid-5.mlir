func.func @i1_ternary(%x: tensor<4x64xf32>, %w: tensor<32x8xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op layout #tern.layout<i1> cannot hold #tern.kind<ternary> weights}}
  %y = tern.bitlinear %x, %w, %s {layout = #tern.layout<i1>} : tensor<4x64xf32>, tensor<32x8xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}
