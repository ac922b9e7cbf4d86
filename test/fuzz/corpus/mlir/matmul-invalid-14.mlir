// Dynamic M in the operand does not hide a static mismatch in N.
func.func @result_columns_dynamic_m(%a: tensor<?x2560xi8>, %w: tensor<640x640xi8>) {
  // expected-error @+1 {{'tern.matmul' op result has 320 columns but the weight has 640 output rows (N)}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i2>} : tensor<?x2560xi8>, tensor<640x640xi8> -> tensor<?x320xi32>
  return
}
