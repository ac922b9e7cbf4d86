// Every diagnostic of the tern.dequantize verifier: input rank, output shape,
// row scale shape and column scale shape (scalar or one per column); plus the
// ODS type constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @rank0(%x: tensor<i32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.dequantize' op expects an input of rank >= 1, got 'tensor<i32>'}}
  %y = tern.dequantize %x, %s : tensor<i32>, tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @output_shape(%x: tensor<4x8xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects an output of shape 4x8 (the input's shape), got 'tensor<4x9xf32>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi32>, tensor<4xf32> -> tensor<4x9xf32>
  return
}

// -----

func.func @row_scale_per_column(%x: tensor<4x8xi32>, %s: tensor<8xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a row scale of shape 4 (one scale per row), got 'tensor<8xf32>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi32>, tensor<8xf32> -> tensor<4x8xf32>
  return
}

// -----

// The row scale is not broadcast: a scalar is only right for a rank-1 input.
func.func @row_scale_scalar(%x: tensor<4x8xi32>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a row scale of shape 4 (one scale per row), got 'tensor<f32>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi32>, tensor<f32> -> tensor<4x8xf32>
  return
}

// -----

func.func @rank1_row_scale(%x: tensor<8xi8>, %s: tensor<1xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a row scale of shape [] (rank 0) (one scale per row), got 'tensor<1xf32>'}}
  %y = tern.dequantize %x, %s : tensor<8xi8>, tensor<1xf32> -> tensor<8xf32>
  return
}

// -----

func.func @col_scale_per_row(%x: tensor<4x8xi32>, %s: tensor<4xf32>, %c: tensor<4xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a column scale of shape 8 (scalar, or one scale per column), got 'tensor<4xf32>'}}
  %y = tern.dequantize %x, %s, %c : tensor<4x8xi32>, tensor<4xf32>, tensor<4xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @col_scale_rank2(%x: tensor<4x8xi32>, %s: tensor<4xf32>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a column scale of shape 8 (scalar, or one scale per column), got 'tensor<4x8xf32>'}}
  %y = tern.dequantize %x, %s, %c : tensor<4x8xi32>, tensor<4xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

// A one-element column scale is not broadcast; use a scalar tensor<f32>.
func.func @col_scale_one(%x: tensor<4x8xi32>, %s: tensor<4xf32>, %c: tensor<1xf32>) {
  // expected-error @+1 {{'tern.dequantize' op expects a column scale of shape 8 (scalar, or one scale per column), got 'tensor<1xf32>'}}
  %y = tern.dequantize %x, %s, %c : tensor<4x8xi32>, tensor<4xf32>, tensor<1xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @i16_input(%x: tensor<4x8xi16>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'tern.dequantize' op operand #0 must be ranked tensor of 8-bit signless integer or 32-bit signless integer values, but got 'tensor<4x8xi16>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi16>, tensor<4xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @f16_col_scale(%x: tensor<4x8xi32>, %s: tensor<4xf32>, %c: tensor<f16>) {
  // expected-error @+1 {{'tern.dequantize' op operand #2 must be ranked tensor of 32-bit float values, but got 'tensor<f16>'}}
  %y = tern.dequantize %x, %s, %c : tensor<4x8xi32>, tensor<4xf32>, tensor<f16> -> tensor<4x8xf32>
  return
}

// -----

func.func @f16_output(%x: tensor<4x8xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'tern.dequantize' op result #0 must be ranked tensor of 32-bit float values, but got 'tensor<4x8xf16>'}}
  %y = tern.dequantize %x, %s : tensor<4x8xi32>, tensor<4xf32> -> tensor<4x8xf16>
  return
}
