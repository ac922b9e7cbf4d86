// expected-error @+1 {{expected valid keyword}}
func.func @layout_trailing_comma() attributes {attr = #tern.layout<i2,>} { return }
