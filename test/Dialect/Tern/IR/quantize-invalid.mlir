// Every diagnostic of the tern.quantize verifier: input rank, non-positive
// epsilon, output shape and per-row scale shape; plus the ODS type
// constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @rank0(%x: tensor<f32>) {
  // expected-error @+1 {{'tern.quantize' op expects an input of rank >= 1, got 'tensor<f32>'}}
  %q, %s = tern.quantize %x : tensor<f32> -> tensor<i8>, tensor<f32>
  return
}

// -----

func.func @zero_epsilon(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects a positive epsilon, got 0.000000e+00}}
  %q, %s = tern.quantize %x {epsilon = 0.0 : f32} : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<4xf32>
  return
}

// -----

func.func @negative_epsilon(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects a positive epsilon, got -2.500000e-01}}
  %q, %s = tern.quantize %x {epsilon = -0.25 : f32} : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<4xf32>
  return
}

// -----

func.func @output_last_dim(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects an output of shape 4x8 (the input's shape), got 'tensor<4x9xi8>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x9xi8>, tensor<4xf32>
  return
}

// -----

func.func @output_transposed(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects an output of shape 4x8 (the input's shape), got 'tensor<8x4xi8>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<8x4xi8>, tensor<4xf32>
  return
}

// -----

func.func @output_rank(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects an output of shape 4x8 (the input's shape), got 'tensor<32xi8>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<32xi8>, tensor<4xf32>
  return
}

// -----

// The scale is per row: the input's shape without its last dimension.
func.func @scale_per_column(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape 4 (one scale per row), got 'tensor<8xf32>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<8xf32>
  return
}

// -----

func.func @scale_keepdim(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape 4 (one scale per row), got 'tensor<4x1xf32>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<4x1xf32>
  return
}

// -----

func.func @scale_scalar(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape 4 (one scale per row), got 'tensor<f32>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<f32>
  return
}

// -----

// A rank-1 input has a scalar scale.
func.func @rank1_scale(%x: tensor<8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape [] (rank 0) (one scale per row), got 'tensor<1xf32>'}}
  %q, %s = tern.quantize %x : tensor<8xf32> -> tensor<8xi8>, tensor<1xf32>
  return
}

// -----

func.func @rank3_scale(%x: tensor<2x3x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op expects the scale of shape 2x3 (one scale per row), got 'tensor<6xf32>'}}
  %q, %s = tern.quantize %x : tensor<2x3x8xf32> -> tensor<2x3x8xi8>, tensor<6xf32>
  return
}

// -----

func.func @i8_input(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.quantize' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float values, but got 'tensor<4x8xi8>'}}
  %q, %s = tern.quantize %x : tensor<4x8xi8> -> tensor<4x8xi8>, tensor<4xf32>
  return
}

// -----

func.func @i32_output(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.quantize' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x8xi32>'}}
  %q, %s = tern.quantize %x : tensor<4x8xf32> -> tensor<4x8xi32>, tensor<4xf32>
  return
}
