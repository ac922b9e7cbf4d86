// expected-error @+1 {{block 7 of an b3 layout must be a multiple of 5 between 5 and 65536}}
func.func @b3_block_not_multiple() attributes {attr = #tern.layout<b3, block = 7>} { return }
