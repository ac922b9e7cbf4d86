// Every diagnostic of the tern.rope verifier: input rank, an odd head
// dimension, a non-positive (or NaN) theta, the positions shape (one per
// token) and the output shape; plus the ODS type and style constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @rank2(%x: tensor<4x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects an input [tokens, heads, head_dim] of rank 3, got 'tensor<4x8xf32>'}}
  %y = tern.rope %x, %p : tensor<4x8xf32>, tensor<4xi64> -> tensor<4x8xf32>
  return
}

// -----

func.func @rank4(%x: tensor<1x4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects an input [tokens, heads, head_dim] of rank 3, got 'tensor<1x4x2x8xf32>'}}
  %y = tern.rope %x, %p : tensor<1x4x2x8xf32>, tensor<4xi64> -> tensor<1x4x2x8xf32>
  return
}

// -----

func.func @odd_head_dim(%x: tensor<4x2x7xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects an even, non-zero head dimension, got 7}}
  %y = tern.rope %x, %p : tensor<4x2x7xf32>, tensor<4xi64> -> tensor<4x2x7xf32>
  return
}

// -----

func.func @odd_head_dim_interleaved(%x: tensor<4x2x9xf32>, %p: tensor<4xi32>) {
  // expected-error @+1 {{'tern.rope' op expects an even, non-zero head dimension, got 9}}
  %y = tern.rope %x, %p {style = #tern.rope_style<interleaved>} : tensor<4x2x9xf32>, tensor<4xi32> -> tensor<4x2x9xf32>
  return
}

// -----

func.func @zero_theta(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects a positive theta}}
  %y = tern.rope %x, %p {theta = 0.0 : f32} : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x2x8xf32>
  return
}

// -----

func.func @negative_theta(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects a positive theta}}
  %y = tern.rope %x, %p {theta = -10000.0 : f32} : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x2x8xf32>
  return
}

// -----

func.func @nan_theta(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects a positive theta}}
  %y = tern.rope %x, %p {theta = 0x7FC00000 : f32} : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x2x8xf32>
  return
}

// -----

func.func @positions_count(%x: tensor<4x2x8xf32>, %p: tensor<3xi64>) {
  // expected-error @+1 {{'tern.rope' op expects positions of shape 4 (one per token), got 'tensor<3xi64>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<3xi64> -> tensor<4x2x8xf32>
  return
}

// -----

func.func @positions_rank2(%x: tensor<4x2x8xf32>, %p: tensor<4x1xi32>) {
  // expected-error @+1 {{'tern.rope' op expects positions of shape 4 (one per token), got 'tensor<4x1xi32>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<4x1xi32> -> tensor<4x2x8xf32>
  return
}

// -----

// A single start position is not accepted; rope wants one position per token.
func.func @positions_scalar(%x: tensor<4x2x8xf32>, %p: tensor<i64>) {
  // expected-error @+1 {{'tern.rope' op expects positions of shape 4 (one per token), got 'tensor<i64>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<i64> -> tensor<4x2x8xf32>
  return
}

// -----

func.func @output_shape(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op expects an output of shape 4x2x8 (the input's shape), got 'tensor<4x8x2xf32>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x8x2xf32>
  return
}

// -----

func.func @i16_positions(%x: tensor<4x2x8xf32>, %p: tensor<4xi16>) {
  // expected-error @+1 {{'tern.rope' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xi16>'}}
  %y = tern.rope %x, %p : tensor<4x2x8xf32>, tensor<4xi16> -> tensor<4x2x8xf32>
  return
}

// -----

func.func @style_string(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+1 {{'tern.rope' op attribute 'style' failed to satisfy constraint: which elements of a head RoPE rotates together}}
  %y = tern.rope %x, %p {style = "half"} : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x2x8xf32>
  return
}

// -----

func.func @unknown_style(%x: tensor<4x2x8xf32>, %p: tensor<4xi64>) {
  // expected-error @+2 {{expected ::mlir::tern::RopeStyle to be one of: half, interleaved}}
  // expected-error @+1 {{failed to parse Tern_RopeStyleAttr parameter 'value' which is to be a `::mlir::tern::RopeStyle`}}
  %y = tern.rope %x, %p {style = #tern.rope_style<diagonal>} : tensor<4x2x8xf32>, tensor<4xi64> -> tensor<4x2x8xf32>
  return
}
