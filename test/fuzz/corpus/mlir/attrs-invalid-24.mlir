// expected-error @+1 {{scale group size must be positive, got -3}}
func.func @group_negative() attributes {attr = #tern.scale<group = -3>} { return }
