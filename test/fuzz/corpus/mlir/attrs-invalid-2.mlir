// expected-error @+1 {{expected valid keyword}}
func.func @empty_layout() attributes {attr = #tern.layout<>} { return }
