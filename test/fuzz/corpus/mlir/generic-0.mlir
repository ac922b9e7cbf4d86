// Every tern op survives a round trip through the generic op form: printed
// generically (inherent attributes as properties, defaults spelled out),
// re-parsed and printed in the custom form again. The GENERIC run pins the
// generic form itself.


// GENERIC-LABEL: "func.func"
// GENERIC: "tern.ternarize"(%{{.*}}) <{epsilon = 9.99999974E-6 : f32, granularity = #tern.scale<per_row>}> : (tensor<64x256xf32>) -> (tensor<64x256xi8>, tensor<64xf32>)
// GENERIC: "tern.pack"(%{{.*}}) <{layout = #tern.layout<i2, block = 128, msb>}> : (tensor<64x256xi8>) -> tensor<64x64xi8>
// GENERIC: "tern.unpack"(%{{.*}}) <{layout = #tern.layout<i2, block = 128, msb>}> : (tensor<64x64xi8>) -> tensor<64x256xi8>
// GENERIC: "tern.quantize"(%{{.*}}) <{epsilon = 9.99999997E-7 : f32}> : (tensor<4x256xf32>) -> (tensor<4x256xi8>, tensor<4xf32>)
// GENERIC: "tern.matmul"(%{{.*}}, %{{.*}}) <{kind = #tern.kind<ternary>, layout = #tern.layout<i2, block = 128, msb>}> : (tensor<4x256xi8>, tensor<64x64xi8>) -> tensor<4x64xi32>
// GENERIC: "tern.matmul"(%{{.*}}, %{{.*}}) <{kind = #tern.kind<ternary>, layout = #tern.layout<i8>}> : (tensor<4x256xi8>, tensor<64x256xi8>) -> tensor<4x64xi32>
// GENERIC: "tern.dequantize"(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<4x64xi32>, tensor<4xf32>, tensor<64xf32>) -> tensor<4x64xf32>
// GENERIC: "tern.dequantize"(%{{.*}}, %{{.*}}) : (tensor<4x64xi32>, tensor<4xf32>) -> tensor<4x64xf32>
// GENERIC: "tern.bitlinear"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{epsilon = 9.99999974E-6 : f32, granularity = #tern.scale<per_row>, kind = #tern.kind<ternary>, layout = #tern.layout<i2, block = 128, msb>}> : (tensor<4x256xf32>, tensor<64x64xi8>, tensor<64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
func.func @linear(%w: tensor<64x256xf32>, %x: tensor<4x256xf32>, %bias: tensor<64xf32>)
    -> (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>) {
  %q, %gamma = tern.ternarize %w {granularity = #tern.scale<per_row>} : tensor<64x256xf32> -> tensor<64x256xi8>, tensor<64xf32>
  %p = tern.pack %q {layout = #tern.layout<i2, block = 128, msb>} : tensor<64x256xi8> -> tensor<64x64xi8>
  %u = tern.unpack %p {layout = #tern.layout<i2, block = 128, msb>} : tensor<64x64xi8> -> tensor<64x256xi8>
  %a, %s = tern.quantize %x {epsilon = 1.0e-6 : f32} : tensor<4x256xf32> -> tensor<4x256xi8>, tensor<4xf32>
  %acc = tern.matmul %a, %p {layout = #tern.layout<i2, block = 128, msb>} : tensor<4x256xi8>, tensor<64x64xi8> -> tensor<4x64xi32>
  %acc8 = tern.matmul %a, %u : tensor<4x256xi8>, tensor<64x256xi8> -> tensor<4x64xi32>
  %y0 = tern.dequantize %acc, %s, %gamma : tensor<4x64xi32>, tensor<4xf32>, tensor<64xf32> -> tensor<4x64xf32>
  %y1 = tern.dequantize %acc8, %s : tensor<4x64xi32>, tensor<4xf32> -> tensor<4x64xf32>
  %y2 = tern.bitlinear %x, %p, %gamma, %bias {granularity = #tern.scale<per_row>, layout = #tern.layout<i2, block = 128, msb>} : tensor<4x256xf32>, tensor<64x64xi8>, tensor<64xf32>, tensor<64xf32> -> tensor<4x64xf32>
  return %y0, %y1, %y2 : tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
}


// GENERIC-LABEL: "func.func"
// GENERIC: "tern.binarize"(%{{.*}}) <{granularity = #tern.scale<group = 128>}> : (tensor<32x256xf32>) -> (tensor<32x256xi8>, tensor<32x2xf32>)
// GENERIC: "tern.bitlinear"(%{{.*}}, %{{.*}}, %{{.*}}) <{epsilon = 9.99999974E-6 : f32, granularity = #tern.scale<group = 128>, kind = #tern.kind<binary>, layout = #tern.layout<i1>}>
func.func @binary(%w: tensor<32x256xf32>, %x: tensor<1x256xf32>) -> tensor<1x32xf32> {
  %q, %d = tern.binarize %w {granularity = #tern.scale<group = 128>} : tensor<32x256xf32> -> tensor<32x256xi8>, tensor<32x2xf32>
  %p = tern.pack %q {layout = #tern.layout<i1, block = 8>} : tensor<32x256xi8> -> tensor<32x32xi8>
  %y = tern.bitlinear %x, %p, %d {kind = #tern.kind<binary>, layout = #tern.layout<i1>, granularity = #tern.scale<group = 128>} : tensor<1x256xf32>, tensor<32x32xi8>, tensor<32x2xf32> -> tensor<1x32xf32>
  return %y : tensor<1x32xf32>
}


// GENERIC-LABEL: "func.func"
// GENERIC: "tern.rms_norm"(%{{.*}}, %{{.*}}) <{epsilon = 9.99999997E-7 : f32}> : (tensor<2x4x64xf32>, tensor<64xf32>) -> tensor<2x4x64xf32>
// GENERIC: "tern.rope"(%{{.*}}, %{{.*}}) <{style = #tern.rope_style<interleaved>, theta = 5.000000e+05 : f32}> : (tensor<2x4x64xf32>, tensor<2xi32>) -> tensor<2x4x64xf32>
// GENERIC: "tern.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{scale = 1.250000e-01 : f32}> : (tensor<2x4x64xf32>, tensor<2x2x64xf32>, tensor<2x2x64xf32>, tensor<2x128x64xf32>, tensor<2x128x64xf32>, tensor<i64>) -> (tensor<2x4x64xf32>, tensor<2x128x64xf32>, tensor<2x128x64xf32>)
// GENERIC: "tern.attention"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (tensor<2x4x64xf32>,
func.func @decoder(%x: tensor<2x4x64xf32>, %g: tensor<64xf32>, %pos: tensor<2xi32>, %k: tensor<2x2x64xf32>, %v: tensor<2x2x64xf32>,
                   %kc: tensor<2x128x64xf32>, %vc: tensor<2x128x64xf32>, %p0: tensor<i64>) -> (tensor<2x4x64xf32>, tensor<2x4x64xf32>) {
  %n = tern.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : tensor<2x4x64xf32>, tensor<64xf32> -> tensor<2x4x64xf32>
  %r = tern.rope %n, %pos {theta = 500000.0 : f32, style = #tern.rope_style<interleaved>} : tensor<2x4x64xf32>, tensor<2xi32> -> tensor<2x4x64xf32>
  %o, %kc2, %vc2 = tern.attention %r, %k, %v, %kc, %vc, %p0 {scale = 0.125 : f32}
      : tensor<2x4x64xf32>, tensor<2x2x64xf32>, tensor<2x2x64xf32>, tensor<2x128x64xf32>, tensor<2x128x64xf32>, tensor<i64>
      -> tensor<2x4x64xf32>, tensor<2x128x64xf32>, tensor<2x128x64xf32>
  %o2, %kc3, %vc3 = tern.attention %r, %k, %v, %kc2, %vc2, %p0
      : tensor<2x4x64xf32>, tensor<2x2x64xf32>, tensor<2x2x64xf32>, tensor<2x128x64xf32>, tensor<2x128x64xf32>, tensor<i64>
      -> tensor<2x4x64xf32>, tensor<2x128x64xf32>, tensor<2x128x64xf32>
  return %o, %o2 : tensor<2x4x64xf32>, tensor<2x4x64xf32>
}
