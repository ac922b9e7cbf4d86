// expected-error @+1 {{expected valid keyword}}
func.func @empty_kind() attributes {attr = #tern.kind<>} { return }
