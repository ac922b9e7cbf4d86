// expected-error @+1 {{the layout's bit order is given twice}}
func.func @order_twice() attributes {attr = #tern.layout<i2, msb, lsb>} { return }
