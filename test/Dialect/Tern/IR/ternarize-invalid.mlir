// Every diagnostic of the tern.ternarize verifier: input rank, values shape,
// scale shape for each granularity, and a non-positive (or NaN) epsilon; plus
// the ODS element-type and attribute constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @input_rank1(%w: tensor<64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a weight matrix of rank 2, got 'tensor<64xf32>'}}
  %q, %s = tern.ternarize %w : tensor<64xf32> -> tensor<64xi8>, tensor<f32>
  return
}

// -----

func.func @input_rank3(%w: tensor<2x4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a weight matrix of rank 2, got 'tensor<2x4x64xf32>'}}
  %q, %s = tern.ternarize %w : tensor<2x4x64xf32> -> tensor<2x4x64xi8>, tensor<f32>
  return
}

// -----

func.func @values_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects values of shape 4x64 (the input's shape), got 'tensor<4x32xi8>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x32xi8>, tensor<f32>
  return
}

// -----

func.func @values_rank(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects values of shape 4x64 (the input's shape), got 'tensor<4x64x1xi8>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x64x1xi8>, tensor<f32>
  return
}

// -----

// A dynamic size is printed as '?' in the expected shape.
func.func @values_shape_dynamic(%w: tensor<?x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects values of shape ?x64 (the input's shape), got 'tensor<4x65xi8>'}}
  %q, %s = tern.ternarize %w : tensor<?x64xf32> -> tensor<4x65xi8>, tensor<f32>
  return
}

// -----

func.func @per_tensor_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape [] (rank 0) (one scale per tensor for #tern.scale<per_tensor>), got 'tensor<4xf32>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4xf32>
  return
}

// -----

func.func @per_row_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape 4 (one scale per output row for #tern.scale<per_row>), got 'tensor<f32>'}}
  %q, %s = tern.ternarize %w {granularity = #tern.scale<per_row>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}

// -----

func.func @per_row_scale_size(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape 4 (one scale per output row for #tern.scale<per_row>), got 'tensor<64xf32>'}}
  %q, %s = tern.ternarize %w {granularity = #tern.scale<per_row>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<64xf32>
  return
}

// -----

// K = 64 in groups of 32 is 2 groups, not 3.
func.func @group_scale_shape(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape 4x2 (one scale per row and group of K for #tern.scale<group = 32>), got 'tensor<4x3xf32>'}}
  %q, %s = tern.ternarize %w {granularity = #tern.scale<group = 32>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4x3xf32>
  return
}

// -----

// The last group may be short: K = 65 in groups of 32 is 3 groups.
func.func @group_scale_short_last(%w: tensor<4x65xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape 4x3 (one scale per row and group of K for #tern.scale<group = 32>), got 'tensor<4x2xf32>'}}
  %q, %s = tern.ternarize %w {granularity = #tern.scale<group = 32>} : tensor<4x65xf32> -> tensor<4x65xi8>, tensor<4x2xf32>
  return
}

// -----

func.func @group_scale_rank(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects the scale of shape 4x2 (one scale per row and group of K for #tern.scale<group = 32>), got 'tensor<4xf32>'}}
  %q, %s = tern.ternarize %w {granularity = #tern.scale<group = 32>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4xf32>
  return
}

// -----

func.func @zero_epsilon(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a positive epsilon, got 0.000000e+00}}
  %q, %s = tern.ternarize %w {epsilon = 0.0 : f32} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}

// -----

func.func @negative_epsilon(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a positive epsilon, got -1.000000e+00}}
  %q, %s = tern.ternarize %w {epsilon = -1.0 : f32} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}

// -----

func.func @nan_epsilon(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a positive epsilon, got nan}}
  %q, %s = tern.ternarize %w {epsilon = 0x7FC00000 : f32} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}

// -----

// The epsilon is checked before the shapes.
func.func @epsilon_first(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op expects a positive epsilon, got 0.000000e+00}}
  %q, %s = tern.ternarize %w {epsilon = 0.0 : f32} : tensor<4x64xf32> -> tensor<4x32xi8>, tensor<4xf32>
  return
}

// -----

func.func @f64_input(%w: tensor<4x64xf64>) {
  // expected-error @+1 {{'tern.ternarize' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float values, but got 'tensor<4x64xf64>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf64> -> tensor<4x64xi8>, tensor<f32>
  return
}

// -----

func.func @i32_values(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x64xi32>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x64xi32>, tensor<f32>
  return
}

// -----

func.func @f16_scale(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op result #1 must be ranked tensor of 32-bit float values, but got 'tensor<f16>'}}
  %q, %s = tern.ternarize %w : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f16>
  return
}

// -----

func.func @granularity_not_a_scale(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op attribute 'granularity' failed to satisfy constraint: how a weight matrix shares its float scales}}
  %q, %s = tern.ternarize %w {granularity = #tern.kind<binary>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}

// -----

func.func @f64_epsilon(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op attribute 'epsilon' failed to satisfy constraint: 32-bit float attribute}}
  %q, %s = tern.ternarize %w {epsilon = 1.0e-5 : f64} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}
