// A constant weight holding a value the target layout cannot store is an
// error that names the value and its [row, column].
// RUN: tern-opt %s --tern-pack-weights=layout=i2:4 -split-input-file -verify-diagnostics

func.func @two_in_ternary(%a: tensor<1x4xi8>) -> tensor<1x2xi32> {
  %w = arith.constant dense<[[1, 0, -1, 0], [0, 1, 1, 2]]> : tensor<2x4xi8>
  // expected-error @+1 {{weight value 2 at [1, 3] cannot be stored in #tern.layout<i2>}}
  %r = tern.matmul %a, %w : tensor<1x4xi8>, tensor<2x4xi8> -> tensor<1x2xi32>
  return %r : tensor<1x2xi32>
}

// -----

func.func @minus_two(%x: tensor<1x5xf32>, %s: tensor<f32>) -> tensor<1x1xf32> {
  %w = arith.constant dense<[[0, 0, 0, 0, -2]]> : tensor<1x5xi8>
  // expected-error @+1 {{weight value -2 at [0, 4] cannot be stored in #tern.layout<i2>}}
  %y = tern.bitlinear %x, %w, %s : tensor<1x5xf32>, tensor<1x5xi8>, tensor<f32> -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
