//===--- #tern.scale ---===//

// expected-error @+1 {{scale group size must be positive, got 0}}
func.func @group_zero() attributes {attr = #tern.scale<group = 0>} { return }
