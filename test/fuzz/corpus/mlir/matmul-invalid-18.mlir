func.func @layout_not_a_layout(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op attribute 'layout' failed to satisfy constraint: the physical packing of low-bit weights along K}}
  %y = tern.matmul %a, %w {layout = #tern.scale<per_row>} : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x32xi32>
  return
}
