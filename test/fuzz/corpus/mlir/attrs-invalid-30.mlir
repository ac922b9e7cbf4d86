//===--- #tern.kind ---===//

// expected-error @+1 {{expected 'ternary' or 'binary', got 'unary'}}
func.func @unknown_kind() attributes {attr = #tern.kind<unary>} { return }
