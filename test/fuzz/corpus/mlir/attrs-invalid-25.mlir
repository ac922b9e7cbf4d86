// expected-error @+1 {{expected '='}}
func.func @group_without_size() attributes {attr = #tern.scale<group>} { return }
