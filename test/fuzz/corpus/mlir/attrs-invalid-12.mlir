// expected-error @+1 {{an i8 layout stores one weight per byte and takes no block}}
func.func @i8_with_block() attributes {attr = #tern.layout<i8, block = 2>} { return }
