func.func @granularity_not_a_scale(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.binarize' op attribute 'granularity' failed to satisfy constraint: how a weight matrix shares its float scales}}
  %q, %s = tern.binarize %w {granularity = #tern.layout<i1>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}
