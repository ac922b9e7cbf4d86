// Every diagnostic of the #tern.kind, #tern.scale and #tern.layout parsers
// and verifiers (plus #tern.rope_style and an unknown attribute name).

//===--- #tern.layout ---===//

// expected-error @+1 {{expected a layout encoding (i8, i2, b3 or i1), got 'i4'}}
func.func @bad_encoding() attributes {attr = #tern.layout<i4>} { return }
