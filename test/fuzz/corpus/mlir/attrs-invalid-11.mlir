// expected-error @+1 {{integer value too large}}
func.func @block_overflow() attributes {attr = #tern.layout<i2, block = 99999999999999999999>} { return }
