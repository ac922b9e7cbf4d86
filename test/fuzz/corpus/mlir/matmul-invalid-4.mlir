func.func @i1_block_ternary(%a: tensor<4x256xi8>, %w: tensor<32x32xi8>) {
  // expected-error @+1 {{'tern.matmul' op layout #tern.layout<i1, block = 128, msb> cannot hold #tern.kind<ternary> weights}}
  %y = tern.matmul %a, %w {kind = #tern.kind<ternary>, layout = #tern.layout<i1, block = 128, msb>} : tensor<4x256xi8>, tensor<32x32xi8> -> tensor<4x32xi32>
  return
}
