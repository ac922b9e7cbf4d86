// Smaller than one byte's worth of values.
// expected-error @+1 {{block 4 of an i1 layout must be a multiple of 8 between 8 and 65536}}
func.func @i1_block_too_small() attributes {attr = #tern.layout<i1, block = 4>} { return }
