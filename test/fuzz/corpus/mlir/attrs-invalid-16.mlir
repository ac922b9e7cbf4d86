// expected-error @+1 {{bit order applies to i2 and i1 layouts only}}
func.func @i8_msb() attributes {attr = #tern.layout<i8, msb>} { return }
