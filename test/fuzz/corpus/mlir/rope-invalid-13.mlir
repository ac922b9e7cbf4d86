func.func @unknown_style(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+2 {{expected ::mlir::tern::RopeStyle to be one of: half, interleaved}}
  // expected-error @+1 {{failed to parse Tern_RopeStyleAttr parameter 'value' which is to be a `::mlir::tern::RopeStyle`}}
  %y = tern.rope %x, %p {style = #tern.rope_style<diagonal>} : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x2x8xf32>
  return
}
