// b3 blocks are multiples of 5 trits: the power-of-two 128 is not one.
// expected-error @+1 {{block 128 of an b3 layout must be a multiple of 5 between 5 and 65536}}
func.func @b3_block_128() attributes {attr = #tern.layout<b3, block = 128>} { return }
