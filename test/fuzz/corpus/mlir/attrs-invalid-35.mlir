// expected-error @+1 {{unknown attribute `packing` in dialect `tern`}}
func.func @unknown_attribute() attributes {attr = #tern.packing<i2>} { return }
