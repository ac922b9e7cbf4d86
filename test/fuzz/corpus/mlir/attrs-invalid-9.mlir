// expected-error @+1 {{block -4 of an i2 layout must be a multiple of 4 between 4 and 65536}}
func.func @block_negative() attributes {attr = #tern.layout<i2, block = -4>} { return }
