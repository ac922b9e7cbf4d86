// expected-error @+1 {{bit order applies to i2 and i1 layouts only}}
func.func @b3_block_msb() attributes {attr = #tern.layout<b3, block = 160, msb>} { return }
