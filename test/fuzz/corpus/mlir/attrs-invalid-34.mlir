//===--- #tern.rope_style and unknown names ---===//

// expected-error @+2 {{expected ::mlir::tern::RopeStyle to be one of: half, interleaved}}
// expected-error @+1 {{failed to parse Tern_RopeStyleAttr parameter 'value'}}
func.func @unknown_rope_style() attributes {attr = #tern.rope_style<diagonal>} { return }
