// expected-error @+1 {{expected 'block = N', 'lsb', 'msb' or 'rows = N', got 'MSB'}}
func.func @uppercase_order() attributes {attr = #tern.layout<i2, MSB>} { return }
