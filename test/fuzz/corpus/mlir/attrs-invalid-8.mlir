// expected-error @+1 {{block 0 of an i2 layout must be a multiple of 4 between 4 and 65536}}
func.func @block_zero() attributes {attr = #tern.layout<i2, block = 0>} { return }
