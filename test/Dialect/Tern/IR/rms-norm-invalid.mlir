// Every diagnostic of the tern.rms_norm verifier: input rank, a negative
// epsilon (zero is allowed), the weight shape and the output shape; plus the
// ODS type constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @rank0(%x: tensor<f32>, %g: tensor<1xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects an input of rank >= 1, got 'tensor<f32>'}}
  %y = tern.rms_norm %x, %g : tensor<f32>, tensor<1xf32> -> tensor<f32>
  return
}

// -----

func.func @negative_epsilon(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects a non-negative epsilon}}
  %y = tern.rms_norm %x, %g {epsilon = -1.0e-6 : f32} : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @minus_infinity_epsilon(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects a non-negative epsilon}}
  %y = tern.rms_norm %x, %g {epsilon = 0xFF800000 : f32} : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @weight_size(%x: tensor<4x8xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects a weight of shape 8 (the input's last dimension), got 'tensor<4xf32>'}}
  %y = tern.rms_norm %x, %g : tensor<4x8xf32>, tensor<4xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @weight_rank(%x: tensor<4x8xf32>, %g: tensor<4x8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects a weight of shape 8 (the input's last dimension), got 'tensor<4x8xf32>'}}
  %y = tern.rms_norm %x, %g : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @output_shape(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects an output of shape 4x8 (the input's shape), got 'tensor<8x4xf32>'}}
  %y = tern.rms_norm %x, %g : tensor<4x8xf32>, tensor<8xf32> -> tensor<8x4xf32>
  return
}

// -----

func.func @output_shape_dynamic(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects an output of shape ?x8 (the input's shape), got 'tensor<4x16xf32>'}}
  %y = tern.rms_norm %x, %g : tensor<?x8xf32>, tensor<8xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @f16_input(%x: tensor<4x8xf16>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4x8xf16>'}}
  %y = tern.rms_norm %x, %g : tensor<4x8xf16>, tensor<8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @nan_epsilon(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'tern.rms_norm' op expects a non-negative epsilon, got nan}}
  %y = tern.rms_norm %x, %g {epsilon = 0x7FC00000 : f32} : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
  return
}
