// Every diagnostic of the tern.matmul verifier: operand and result ranks, a
// layout that cannot hold the weight kind (i1 and ternary), K disagreeing for
// unpacked and for packed weights (the message names the layout and the byte
// counts), and result rows/columns; plus the ODS type constraints.

func.func @lhs_rank(%a: tensor<64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op expects activations of rank 2, got 'tensor<64xi8>'}}
  %y = tern.matmul %a, %w : tensor<64xi8>, tensor<32x64xi8> -> tensor<32xi32>
  return
}
