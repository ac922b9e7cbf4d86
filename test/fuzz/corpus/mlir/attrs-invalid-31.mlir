// expected-error @+1 {{expected 'ternary' or 'binary', got 'i1'}}
func.func @kind_given_encoding() attributes {attr = #tern.kind<i1>} { return }
