// expected-error @+1 {{an i8 layout stores rows one after another and takes no rows}}
func.func @i8_rows() attributes {attr = #tern.layout<i8, rows = 8>} { return }
