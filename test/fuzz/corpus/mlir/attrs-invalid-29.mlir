// expected-error @+1 {{integer value too large}}
func.func @group_overflow() attributes {attr = #tern.scale<group = 99999999999999999999>} { return }
