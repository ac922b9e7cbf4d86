// tern ops mix with the upstream dialects the pipeline uses (func, arith,
// tensor, linalg, math); upstream passes run on such IR.
// RUN: tern-opt %s --canonicalize --cse | FileCheck %s

// CHECK-LABEL: func.func @mixed
// CHECK: %[[Q:.*]], %[[S:.*]] = tern.quantize
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: %[[N:.*]] = tern.rms_norm
// CHECK: return %[[N]], %[[Q]]
func.func @mixed(%x: tensor<2x4xf32>, %g: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xi8>) {
  %q, %s = tern.quantize %x : tensor<2x4xf32> -> tensor<2x4xi8>, tensor<2xf32>
  %q2, %s2 = tern.quantize %x : tensor<2x4xf32> -> tensor<2x4xi8>, tensor<2xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %exp = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                         iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = math.exp %in : f32
    linalg.yield %v : f32
  } -> tensor<2x4xf32>
  %n = tern.rms_norm %exp, %g : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return %n, %q2 : tensor<2x4xf32>, tensor<2x4xi8>
}
