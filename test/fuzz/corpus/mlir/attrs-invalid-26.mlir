// Only a group scale takes a size.
// expected-error @+1 {{only a group scale takes a group size}}
func.func @per_row_with_group() attributes {attr = #tern.scale<per_row = 4>} { return }
