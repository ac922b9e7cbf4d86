// An explicit scale, i32 position, prefill of 16 tokens.
func.func @gqa_prefill_scale(%q: tensor<16x8x64xf32>, %k: tensor<16x2x64xf32>, %v: tensor<16x2x64xf32>,
                             %kc: tensor<2x512x64xf32>, %vc: tensor<2x512x64xf32>, %p0: tensor<i32>) -> tensor<16x8x64xf32> {
  %o, %kc2, %vc2 = tern.attention %q, %k, %v, %kc, %vc, %p0 {scale = 0.125 : f32}
      : tensor<16x8x64xf32>, tensor<16x2x64xf32>, tensor<16x2x64xf32>,
        tensor<2x512x64xf32>, tensor<2x512x64xf32>, tensor<i32>
      -> tensor<16x8x64xf32>, tensor<2x512x64xf32>, tensor<2x512x64xf32>
  return %o : tensor<16x8x64xf32>
}
