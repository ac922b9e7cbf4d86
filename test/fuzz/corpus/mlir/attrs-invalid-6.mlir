// expected-error @+1 {{block 12 of an i1 layout must be a multiple of 8 between 8 and 65536}}
func.func @i1_block_not_multiple() attributes {attr = #tern.layout<i1, block = 12>} { return }
