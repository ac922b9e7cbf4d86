// expected-error @+1 {{rows 0 must be a power of two between 1 and 64}}
func.func @rows_zero() attributes {attr = #tern.layout<i2, rows = 0>} { return }
