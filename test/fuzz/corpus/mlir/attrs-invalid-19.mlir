// expected-error @+1 {{expected '='}}
func.func @block_without_equal() attributes {attr = #tern.layout<i2, block 4>} { return }
