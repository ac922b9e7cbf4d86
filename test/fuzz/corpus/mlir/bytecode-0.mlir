// Every tern op and attribute form survives a round trip through MLIR
// bytecode (the tern attributes have no bytecode encoding of their own, so
// this also covers the textual fallback the writer uses for them).

func.func @weights(%w: tensor<64x300xf32>) -> (tensor<f32>, tensor<64x3xf32>, tensor<64x128xi8>, tensor<64x38xi8>, tensor<64x300xi8>)
    attributes {kinds = [#tern.kind<ternary>, #tern.kind<binary>],
                scales = [#tern.scale<per_tensor>, #tern.scale<per_row>, #tern.scale<group = 128>],
                layouts = [#tern.layout<i8>, #tern.layout<i2, block = 4>, #tern.layout<i2, block = 256>,
                           #tern.layout<i2, block = 128, msb>, #tern.layout<b3, block = 160>, #tern.layout<i1, block = 8>]} {
  %q, %g = tern.ternarize %w {epsilon = 1.0e-3 : f32} : tensor<64x300xf32> -> tensor<64x300xi8>, tensor<f32>
  %b, %d = tern.binarize %w {granularity = #tern.scale<group = 128>} : tensor<64x300xf32> -> tensor<64x300xi8>, tensor<64x3xf32>
  %p2 = tern.pack %q {layout = #tern.layout<i2, block = 256>} : tensor<64x300xi8> -> tensor<64x128xi8>
  %p3 = tern.pack %q {layout = #tern.layout<b3, block = 160>} : tensor<64x300xi8> -> tensor<64x64xi8>
  %p1 = tern.pack %b {layout = #tern.layout<i1, msb>} : tensor<64x300xi8> -> tensor<64x38xi8>
  %u = tern.unpack %p3 {layout = #tern.layout<b3, block = 160>} : tensor<64x64xi8> -> tensor<64x300xi8>
  return %g, %d, %p2, %p1, %u : tensor<f32>, tensor<64x3xf32>, tensor<64x128xi8>, tensor<64x38xi8>, tensor<64x300xi8>
}

func.func @linear(%x: tensor<?x2560xf32>, %w: tensor<640x640xi8>, %gamma: tensor<f32>, %bias: tensor<640xf32>, %w1: tensor<640x320xi8>)
    -> (tensor<?x640xf32>, tensor<?x640xf32>, tensor<?x640xi32>) {
  %a, %s = tern.quantize %x : tensor<?x2560xf32> -> tensor<?x2560xi8>, tensor<?xf32>
  %acc = tern.matmul %a, %w {layout = #tern.layout<i2, block = 128, msb>} : tensor<?x2560xi8>, tensor<640x640xi8> -> tensor<?x640xi32>
  %y0 = tern.dequantize %acc, %s, %gamma : tensor<?x640xi32>, tensor<?xf32>, tensor<f32> -> tensor<?x640xf32>
  %y1 = tern.bitlinear %x, %w, %gamma, %bias {layout = #tern.layout<i2, block = 128, msb>, epsilon = 1.0e-6 : f32} : tensor<?x2560xf32>, tensor<640x640xi8>, tensor<f32>, tensor<640xf32> -> tensor<?x640xf32>
  %acc1 = tern.matmul %a, %w1 {kind = #tern.kind<binary>, layout = #tern.layout<i1, block = 128>} : tensor<?x2560xi8>, tensor<640x320xi8> -> tensor<?x640xi32>
  return %y0, %y1, %acc1 : tensor<?x640xf32>, tensor<?x640xf32>, tensor<?x640xi32>
}

func.func @decoder(%x: tensor<1x2560xf32>, %g: tensor<2560xf32>, %q: tensor<1x20x128xf32>, %pos: tensor<1xi64>,
                   %k: tensor<1x5x128xf32>, %v: tensor<1x5x128xf32>, %kc: tensor<5x4096x128xf32>, %vc: tensor<5x4096x128xf32>,
                   %p0: tensor<i32>) -> (tensor<1x2560xf32>, tensor<1x20x128xf32>) {
  %n = tern.rms_norm %x, %g : tensor<1x2560xf32>, tensor<2560xf32> -> tensor<1x2560xf32>
  %r = tern.rope %q, %pos {theta = 500000.0 : f32, style = #tern.rope_style<interleaved>} : tensor<1x20x128xf32>, tensor<1xi64> -> tensor<1x20x128xf32>
  %o, %kc2, %vc2 = tern.attention %r, %k, %v, %kc, %vc, %p0 {scale = 0.0883883461 : f32}
      : tensor<1x20x128xf32>, tensor<1x5x128xf32>, tensor<1x5x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>, tensor<i32>
      -> tensor<1x20x128xf32>, tensor<5x4096x128xf32>, tensor<5x4096x128xf32>
  return %n, %o : tensor<1x2560xf32>, tensor<1x20x128xf32>
}
