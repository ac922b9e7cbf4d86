// expected-error @+1 {{the layout's block is given twice}}
func.func @block_twice() attributes {attr = #tern.layout<i2, block = 4, block = 8>} { return }
