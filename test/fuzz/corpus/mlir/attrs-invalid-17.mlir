// expected-error @+1 {{expected 'block = N', 'lsb', 'msb' or 'rows = N', got 'foo'}}
func.func @unknown_layout_item() attributes {attr = #tern.layout<i2, foo>} { return }
