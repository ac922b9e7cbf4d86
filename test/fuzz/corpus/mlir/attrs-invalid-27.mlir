// expected-error @+1 {{expected '>'}}
func.func @per_tensor_with_group() attributes {attr = #tern.scale<per_tensor, group = 4>} { return }
