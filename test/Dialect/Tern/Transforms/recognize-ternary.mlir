// tern-recognize-ternary on the IR the ONNX importer makes of an exported
// BitNet layer: f32(quantize(x)) times float ternary weights, then the token
// scale and a scalar weight scale, becomes an integer matmul with both
// scales in one tern.dequantize; q/k/v-like siblings stack into one matmul;
// a residual add of the reshaped product becomes a 2-D linalg.add.
// RUN: tern-opt %s --tern-recognize-ternary -split-input-file | FileCheck %s

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#scalar = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func.func @fake_quantized
// CHECK: %[[Q:.*]], %[[S:.*]] = tern.quantize %arg0
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1, 0, -1, 1], [0, 0, 1, -1]]> : tensor<2x4xi8>
// CHECK-DAG: %[[WS:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[ACC:.*]] = tern.matmul %[[Q]], %[[W]] : tensor<3x4xi8>, tensor<2x4xi8> -> tensor<3x2xi32>
// CHECK: %[[Y:.*]] = tern.dequantize %[[ACC]], %[[S]], %[[WS]]
// CHECK: %[[Y3:.*]] = tensor.expand_shape %[[Y]]
// CHECK: return %[[Y3]]
// CHECK-NOT: tern.linear
func.func @fake_quantized(%x: tensor<3x4xf32>) -> tensor<1x3x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0, -1.0, 1.0], [0.0, 0.0, 1.0, -1.0]]> : tensor<2x4xf32>
  %ws = arith.constant dense<0.5> : tensor<f32>
  %q, %s = tern.quantize %x : tensor<3x4xf32> -> tensor<3x4xi8>, tensor<3xf32>
  %e0 = tensor.empty() : tensor<3x4xf32>
  %qf = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%q : tensor<3x4xi8>) outs(%e0 : tensor<3x4xf32>) {
  ^bb0(%in: i8, %out: f32):
    %f = arith.sitofp %in : i8 to f32
    linalg.yield %f : f32
  } -> tensor<3x4xf32>
  %y = tern.linear %qf, %w : tensor<3x4xf32>, tensor<2x4xf32> -> tensor<3x2xf32>
  %y3 = tensor.expand_shape %y [[0, 1], [2]] output_shape [1, 3, 2] : tensor<3x2xf32> into tensor<1x3x2xf32>
  %s3 = tensor.expand_shape %s [[0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
  %e1 = tensor.empty() : tensor<1x3x2xf32>
  %m = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%y3, %s3 : tensor<1x3x2xf32>, tensor<1x3x1xf32>) outs(%e1 : tensor<1x3x2xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %p = arith.mulf %a, %b : f32
    linalg.yield %p : f32
  } -> tensor<1x3x2xf32>
  %e2 = tensor.empty() : tensor<1x3x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #scalar, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%m, %ws : tensor<1x3x2xf32>, tensor<f32>) outs(%e2 : tensor<1x3x2xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %p = arith.mulf %a, %b : f32
    linalg.yield %p : f32
  } -> tensor<1x3x2xf32>
  return %r : tensor<1x3x2xf32>
}

// -----

// Float activations: the weights become int8 with one scale per row (rows
// of magnitude 2 and 0.25); a matrix with two magnitudes in a row stays.
// CHECK-LABEL: func.func @float_activations
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1, -1], [0, 1]]> : tensor<2x2xi8>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[2.000000e+00, 2.500000e-01]> : tensor<2xf32>
// CHECK: tern.linear %arg0, %[[W]] scale %[[S]]
// CHECK: tern.linear %arg0, %{{.*}} : tensor<1x2xf32>, tensor<2x2xf32>
func.func @float_activations(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<[[2.0, -2.0], [0.0, 0.25]]> : tensor<2x2xf32>
  %v = arith.constant dense<[[1.0, 0.5], [0.0, 1.0]]> : tensor<2x2xf32>
  %a = tern.linear %x, %w : tensor<1x2xf32>, tensor<2x2xf32> -> tensor<1x2xf32>
  %b = tern.linear %x, %v : tensor<1x2xf32>, tensor<2x2xf32> -> tensor<1x2xf32>
  return %a, %b : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// The same for bfloat16 and float16 weights (magnitudes read from the
// stored bits).
// CHECK-LABEL: func.func @narrow_floats
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1, -1], [0, 1]]> : tensor<2x2xi8>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[2.000000e+00, 2.500000e-01]> : tensor<2xf32>
// CHECK: tern.linear %arg0, %[[W]] scale %[[S]]
// CHECK: %[[H:.*]] = arith.constant dense<[5.000000e-01, 3.000000e+00]> : tensor<2xf32>
// CHECK: tern.linear %arg0, %{{.*}} scale %[[H]]
func.func @narrow_floats(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<[[2.0, -2.0], [0.0, 0.25]]> : tensor<2x2xbf16>
  %h = arith.constant dense<[[-0.5, 0.0], [3.0, 3.0]]> : tensor<2x2xf16>
  %a = tern.linear %x, %w : tensor<1x2xf32>, tensor<2x2xbf16> -> tensor<1x2xf32>
  %b = tern.linear %x, %h : tensor<1x2xf32>, tensor<2x2xf16> -> tensor<1x2xf32>
  return %a, %b : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// Two layers reading one quantization stack into one matmul; each result is
// a column slice, the per-layer scales one per column.
// CHECK-LABEL: func.func @siblings
// CHECK: %[[Q:.*]], %[[S:.*]] = tern.quantize
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1, 0], [0, -1], [1, 1]]> : tensor<3x2xi8>
// CHECK-DAG: %[[CS:.*]] = arith.constant dense<[2.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK: %[[ACC:.*]] = tern.matmul %[[Q]], %[[W]] {{.*}} -> tensor<4x3xi32>
// CHECK: %[[ALL:.*]] = tern.dequantize %[[ACC]], %[[S]], %[[CS]]
// CHECK: tensor.extract_slice %[[ALL]][0, 0] [4, 2] [1, 1]
// CHECK: tensor.extract_slice %[[ALL]][0, 2] [4, 1] [1, 1]
func.func @siblings(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x1xf32>) {
  %a = arith.constant dense<[[1, 0], [0, -1]]> : tensor<2x2xi8>
  %b = arith.constant dense<[[1, 1]]> : tensor<1x2xi8>
  %sa = arith.constant dense<2.0> : tensor<f32>
  %sb = arith.constant dense<3.0> : tensor<f32>
  %q, %s = tern.quantize %x : tensor<4x2xf32> -> tensor<4x2xi8>, tensor<4xf32>
  %acc_a = tern.matmul %q, %a : tensor<4x2xi8>, tensor<2x2xi8> -> tensor<4x2xi32>
  %ya = tern.dequantize %acc_a, %s, %sa : tensor<4x2xi32>, tensor<4xf32>, tensor<f32> -> tensor<4x2xf32>
  %acc_b = tern.matmul %q, %b : tensor<4x2xi8>, tensor<1x2xi8> -> tensor<4x1xi32>
  %yb = tern.dequantize %acc_b, %s, %sb : tensor<4x1xi32>, tensor<4xf32>, tensor<f32> -> tensor<4x1xf32>
  return %ya, %yb : tensor<4x2xf32>, tensor<4x1xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @residual
// CHECK: %[[Y:.*]] = tern.dequantize
// CHECK: %[[H:.*]] = tensor.collapse_shape %arg1
// CHECK: %[[SUM:.*]] = linalg.add ins(%[[H]], %[[Y]] : tensor<2x2xf32>, tensor<2x2xf32>)
// CHECK: tensor.expand_shape %[[SUM]]
func.func @residual(%x: tensor<2x2xf32>, %h: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %w = arith.constant dense<[[1, 0], [0, -1]]> : tensor<2x2xi8>
  %ws = arith.constant dense<1.0> : tensor<f32>
  %q, %s = tern.quantize %x : tensor<2x2xf32> -> tensor<2x2xi8>, tensor<2xf32>
  %acc = tern.matmul %q, %w : tensor<2x2xi8>, tensor<2x2xi8> -> tensor<2x2xi32>
  %y = tern.dequantize %acc, %s, %ws : tensor<2x2xi32>, tensor<2xf32>, tensor<f32> -> tensor<2x2xf32>
  %y3 = tensor.expand_shape %y [[0, 1], [2]] output_shape [1, 2, 2] : tensor<2x2xf32> into tensor<1x2x2xf32>
  %e = tensor.empty() : tensor<1x2x2xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%h, %y3 : tensor<1x2x2xf32>, tensor<1x2x2xf32>) outs(%e : tensor<1x2x2xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %p = arith.addf %a, %b : f32
    linalg.yield %p : f32
  } -> tensor<1x2x2xf32>
  return %r : tensor<1x2x2xf32>
}
