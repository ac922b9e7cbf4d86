// expected-error @+1 {{rows 3 must be a power of two between 1 and 64}}
func.func @rows_three() attributes {attr = #tern.layout<i2, rows = 3>} { return }
