// Encodings are case-sensitive.
// expected-error @+1 {{expected a layout encoding (i8, i2, b3 or i1), got 'I2'}}
func.func @uppercase_encoding() attributes {attr = #tern.layout<I2>} { return }
