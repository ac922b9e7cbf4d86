// expected-error @+1 {{the layout's rows is given twice}}
func.func @rows_twice() attributes {attr = #tern.layout<i2, rows = 4, rows = 8>} { return }
