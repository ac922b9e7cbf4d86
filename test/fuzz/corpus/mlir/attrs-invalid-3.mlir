// expected-error @+1 {{block 6 of an i2 layout must be a multiple of 4 between 4 and 65536}}
func.func @i2_block_not_multiple() attributes {attr = #tern.layout<i2, block = 6>} { return }
