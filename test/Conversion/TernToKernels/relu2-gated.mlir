// convert-tern-to-kernels fuses BitNet's squared-ReLU gate into the row
// kernel after it: max(gate, 0)^2 * up, where gate and up are column halves
// of one stacked gate/up product, feeding an rms_norm (+ quantize), becomes
// one call of @tern_relu2_gated_rms_norm_quantize on the gate half with the
// up half's column offset; the gated row is never stored. A generic with
// another use, another body, or operands that are not column slices of one
// tensor is left alone.
// RUN: tern-opt %s --convert-tern-to-kernels=isa=avx512vnni | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @gated
// CHECK-NOT: linalg.generic
// CHECK: %[[C384:.*]] = arith.constant 384 : i64
// CHECK: call @tern_relu2_gated_rms_norm_quantize({{.*}}, %[[C384]]) : (!llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64, i64, f32, f32, i64) -> ()
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @gated(%gu: tensor<?x768xf32>, %g: tensor<384xf32>) -> (tensor<?x384xi8>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.000000e+00 : f32
  %m = tensor.dim %gu, %c0 : tensor<?x768xf32>
  %gate = tensor.extract_slice %gu[0, 0] [%m, 384] [1, 1] : tensor<?x768xf32> to tensor<?x384xf32>
  %up = tensor.extract_slice %gu[0, 384] [%m, 384] [1, 1] : tensor<?x768xf32> to tensor<?x384xf32>
  %init = tensor.empty(%m) : tensor<?x384xf32>
  %h = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%gate, %up : tensor<?x384xf32>, tensor<?x384xf32>) outs(%init : tensor<?x384xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    %s = arith.mulf %r, %r : f32
    %t = arith.mulf %s, %b : f32
    linalg.yield %t : f32
  } -> tensor<?x384xf32>
  %n = tern.rms_norm %h, %g : tensor<?x384xf32>, tensor<384xf32> -> tensor<?x384xf32>
  %q, %qs = tern.quantize %n : tensor<?x384xf32> -> tensor<?x384xi8>, tensor<?xf32>
  return %q, %qs : tensor<?x384xi8>, tensor<?xf32>
}

// The gated row also used elsewhere: computed by linalg, normalized by the
// plain kernel.
// CHECK-LABEL: func.func @gated_two_uses
// CHECK: linalg.generic
// CHECK: call @tern_rms_norm_quantize(
func.func @gated_two_uses(%gu: tensor<?x768xf32>, %g: tensor<384xf32>) -> (tensor<?x384xi8>, tensor<?xf32>, tensor<?x384xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.000000e+00 : f32
  %m = tensor.dim %gu, %c0 : tensor<?x768xf32>
  %gate = tensor.extract_slice %gu[0, 0] [%m, 384] [1, 1] : tensor<?x768xf32> to tensor<?x384xf32>
  %up = tensor.extract_slice %gu[0, 384] [%m, 384] [1, 1] : tensor<?x768xf32> to tensor<?x384xf32>
  %init = tensor.empty(%m) : tensor<?x384xf32>
  %h = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%gate, %up : tensor<?x384xf32>, tensor<?x384xf32>) outs(%init : tensor<?x384xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    %s = arith.mulf %r, %r : f32
    %t = arith.mulf %s, %b : f32
    linalg.yield %t : f32
  } -> tensor<?x384xf32>
  %n = tern.rms_norm %h, %g : tensor<?x384xf32>, tensor<384xf32> -> tensor<?x384xf32>
  %q, %qs = tern.quantize %n : tensor<?x384xf32> -> tensor<?x384xi8>, tensor<?xf32>
  return %q, %qs, %h : tensor<?x384xi8>, tensor<?xf32>, tensor<?x384xf32>
}

// SiLU-style body (not squared ReLU): left alone.
// CHECK-LABEL: func.func @other_body
// CHECK: linalg.generic
// CHECK: call @tern_rms_norm_quantize(
func.func @other_body(%gu: tensor<?x768xf32>, %g: tensor<384xf32>) -> (tensor<?x384xi8>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %gu, %c0 : tensor<?x768xf32>
  %gate = tensor.extract_slice %gu[0, 0] [%m, 384] [1, 1] : tensor<?x768xf32> to tensor<?x384xf32>
  %up = tensor.extract_slice %gu[0, 384] [%m, 384] [1, 1] : tensor<?x768xf32> to tensor<?x384xf32>
  %init = tensor.empty(%m) : tensor<?x384xf32>
  %h = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%gate, %up : tensor<?x384xf32>, tensor<?x384xf32>) outs(%init : tensor<?x384xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    %t = arith.mulf %s, %b : f32
    linalg.yield %t : f32
  } -> tensor<?x384xf32>
  %n = tern.rms_norm %h, %g : tensor<?x384xf32>, tensor<384xf32> -> tensor<?x384xf32>
  %q, %qs = tern.quantize %n : tensor<?x384xf32> -> tensor<?x384xi8>, tensor<?xf32>
  return %q, %qs : tensor<?x384xi8>, tensor<?xf32>
}

// Gate and up from two different tensors: left alone.
// CHECK-LABEL: func.func @two_sources
// CHECK: linalg.generic
// CHECK: call @tern_rms_norm_quantize(
func.func @two_sources(%x: tensor<?x384xf32>, %y: tensor<?x384xf32>, %g: tensor<384xf32>) -> (tensor<?x384xi8>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.000000e+00 : f32
  %m = tensor.dim %x, %c0 : tensor<?x384xf32>
  %init = tensor.empty(%m) : tensor<?x384xf32>
  %h = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<?x384xf32>, tensor<?x384xf32>) outs(%init : tensor<?x384xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    %s = arith.mulf %r, %r : f32
    %t = arith.mulf %s, %b : f32
    linalg.yield %t : f32
  } -> tensor<?x384xf32>
  %n = tern.rms_norm %h, %g : tensor<?x384xf32>, tensor<384xf32> -> tensor<?x384xf32>
  %q, %qs = tern.quantize %n : tensor<?x384xf32> -> tensor<?x384xi8>, tensor<?xf32>
  return %q, %qs : tensor<?x384xi8>, tensor<?xf32>
}

// The task reads the up half at the offset and applies the gate in vectors.
// CHECK-LABEL: llvm.func internal @tern_relu2_gated_rms_norm_quantize_task(
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: vector.reduction <add>, %{{.*}} : vector<16xf32> into f32
