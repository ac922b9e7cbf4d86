// expected-error @+1 {{expected integer value}}
func.func @block_not_integer() attributes {attr = #tern.layout<i2, block = x>} { return }
