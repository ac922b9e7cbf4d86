// Verifier errors of tern.linear.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @k_mismatch(%x: tensor<2x64xf32>, %w: tensor<8x32xf32>) {
  // expected-error @+1 {{'tern.linear' op K dimensions disagree: the input has K = 64 but the weight rows have 32}}
  %y = tern.linear %x, %w : tensor<2x64xf32>, tensor<8x32xf32> -> tensor<2x8xf32>
  return
}

// -----

func.func @result_shape(%x: tensor<2x64xf32>, %w: tensor<8x64xf32>) {
  // expected-error @+1 {{'tern.linear' op expects a result of shape 2x8 ([M, N] of the input and the weight), got 'tensor<8x2xf32>'}}
  %y = tern.linear %x, %w : tensor<2x64xf32>, tensor<8x64xf32> -> tensor<8x2xf32>
  return
}

// -----

func.func @rank(%x: tensor<64xf32>, %w: tensor<8x64xf32>) {
  // expected-error @+1 {{'tern.linear' op expects an input of rank 2, got 'tensor<64xf32>'}}
  %y = tern.linear %x, %w : tensor<64xf32>, tensor<8x64xf32> -> tensor<8xf32>
  return
}

// -----

func.func @int8_without_scale(%x: tensor<2x64xf32>, %w: tensor<8x64xi8>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tern.linear' op int8 weights need a scale per row}}
  %y = tern.linear %x, %w : tensor<2x64xf32>, tensor<8x64xi8> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @scale_on_float(%x: tensor<2x64xf32>, %w: tensor<8x64xf32>, %s: tensor<8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tern.linear' op a scale applies to int8 weights only}}
  %y = tern.linear %x, %w scale %s : tensor<2x64xf32>, tensor<8x64xf32>, tensor<8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @scale_shape(%x: tensor<2x64xf32>, %w: tensor<8x64xi8>, %s: tensor<4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tern.linear' op expects a scale of shape 8 (one per weight row), got 'tensor<4xf32>'}}
  %y = tern.linear %x, %w scale %s : tensor<2x64xf32>, tensor<8x64xi8>, tensor<4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
