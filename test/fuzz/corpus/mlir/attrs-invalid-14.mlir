// expected-error @+1 {{bit order applies to i2 and i1 layouts only}}
func.func @b3_msb() attributes {attr = #tern.layout<b3, msb>} { return }
