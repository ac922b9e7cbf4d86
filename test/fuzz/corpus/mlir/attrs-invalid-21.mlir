// expected-error @+1 {{expected '>'}}
func.func @layout_missing_comma() attributes {attr = #tern.layout<i2 block = 4>} { return }
