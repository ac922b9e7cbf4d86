// Every diagnostic of the tern.binarize verifier: input rank, values shape
// and the scale shape for each granularity; plus the ODS type constraints.
// tern.binarize has no epsilon.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @input_rank1(%w: tensor<64xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects a weight matrix of rank 2, got 'tensor<64xf32>'}}
  %q, %s = tern.binarize %w : tensor<64xf32> -> tensor<64xi8>, tensor<f32>
  return
}

// -----

func.func @input_rank0(%w: tensor<f32>) {
  // expected-error @+1 {{'tern.binarize' op expects a weight matrix of rank 2, got 'tensor<f32>'}}
  %q, %s = tern.binarize %w : tensor<f32> -> tensor<i8>, tensor<f32>
  return
}

// -----

func.func @values_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects values of shape 4x64 (the input's shape), got 'tensor<64x4xi8>'}}
  %q, %s = tern.binarize %w : tensor<4x64xf32> -> tensor<64x4xi8>, tensor<f32>
  return
}

// -----

func.func @per_tensor_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape [] (rank 0) (one scale per tensor for #tern.scale<per_tensor>), got 'tensor<1xf32>'}}
  %q, %s = tern.binarize %w : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<1xf32>
  return
}

// -----

func.func @per_row_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape 4 (one scale per output row for #tern.scale<per_row>), got 'tensor<4x1xf32>'}}
  %q, %s = tern.binarize %w {granularity = #tern.scale<per_row>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4x1xf32>
  return
}

// -----

// Q1_0 groups of 128 over K = 256: 2 groups per row.
func.func @group_scale_shape(%w: tensor<64x256xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape 64x2 (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<64xf32>'}}
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 128>} : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<64xf32>
  return
}

// -----

func.func @group_scale_rows(%w: tensor<64x256xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape 64x2 (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<32x2xf32>'}}
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 128>} : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<32x2xf32>
  return
}

// -----

// A dynamic K leaves the group count dynamic ('?'); N is still checked.
func.func @group_scale_dynamic_k(%w: tensor<64x?xf32>) {
  // expected-error @+1 {{'tern.binarize' op expects the scale of shape 64x? (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<32x2xf32>'}}
  %q, %s = tern.binarize %w {granularity = #tern.scale<group = 128>} : tensor<64x?xf32> -> tensor<64x?xi8>, tensor<32x2xf32>
  return
}

// -----

func.func @i32_input(%w: tensor<4x64xi32>) {
  // expected-error @+1 {{'tern.binarize' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float values, but got 'tensor<4x64xi32>'}}
  %q, %s = tern.binarize %w : tensor<4x64xi32> -> tensor<4x64xi8>, tensor<f32>
  return
}

// -----

func.func @i1_values(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x64xi1>'}}
  %q, %s = tern.binarize %w : tensor<4x64xf32> -> tensor<4x64xi1>, tensor<f32>
  return
}

// -----

func.func @granularity_not_a_scale(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op attribute 'granularity' failed to satisfy constraint: how a weight matrix shares its float scales}}
  %q, %s = tern.binarize %w {granularity = #tern.layout<i1>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}
