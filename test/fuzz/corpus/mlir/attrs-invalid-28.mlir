// expected-error @+1 {{expected 'per_tensor', 'per_row' or 'group', got 'blocked'}}
func.func @unknown_granularity() attributes {attr = #tern.scale<blocked>} { return }
