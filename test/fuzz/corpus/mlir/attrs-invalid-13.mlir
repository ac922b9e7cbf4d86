// expected-error @+1 {{an i8 layout stores one weight per byte and takes no block}}
func.func @i8_block_zero() attributes {attr = #tern.layout<i8, block = 0>} { return }
