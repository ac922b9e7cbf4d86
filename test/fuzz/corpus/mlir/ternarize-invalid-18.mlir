func.func @granularity_not_a_scale(%w: tensor<4x64xf32>) {
  // expected-error @+1 {{'tern.ternarize' op attribute 'granularity' failed to satisfy constraint: how a weight matrix shares its float scales}}
  %q, %s = tern.ternarize %w {granularity = #tern.kind<binary>} : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<f32>
  return
}
