// expected-error @+1 {{block 131072 of an i2 layout must be a multiple of 4 between 4 and 65536}}
func.func @block_too_large() attributes {attr = #tern.layout<i2, block = 131072>} { return }
