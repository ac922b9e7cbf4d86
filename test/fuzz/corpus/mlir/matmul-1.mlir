// The defaults spelled out are dropped by the printer.
func.func @explicit_defaults(%a: tensor<1x64xi8>, %w: tensor<32x64xi8>) -> tensor<1x32xi32> {
  %acc = tern.matmul %a, %w {kind = #tern.kind<ternary>, layout = #tern.layout<i8>} : tensor<1x64xi8>, tensor<32x64xi8> -> tensor<1x32xi32>
  return %acc : tensor<1x32xi32>
}
