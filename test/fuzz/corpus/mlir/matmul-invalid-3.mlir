// i1 has no code for 0, so it cannot store ternary (the default kind) weights.
func.func @i1_ternary(%a: tensor<4x64xi8>, %w: tensor<32x8xi8>) {
  // expected-error @+1 {{'tern.matmul' op layout #tern.layout<i1> cannot hold #tern.kind<ternary> weights}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i1>} : tensor<4x64xi8>, tensor<32x8xi8> -> tensor<4x32xi32>
  return
}
