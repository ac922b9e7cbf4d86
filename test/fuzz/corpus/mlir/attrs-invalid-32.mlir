// expected-error @+1 {{expected '>'}}
func.func @two_kinds() attributes {attr = #tern.kind<ternary, binary>} { return }
