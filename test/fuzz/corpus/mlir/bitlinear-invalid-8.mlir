func.func @k_packed_i1(%x: tensor<1x2048xf32>, %w: tensor<512x512xi8>, %d: tensor<512x16xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op K dimensions disagree: the activations have K = 2048, which #tern.layout<i1> packs into 256 bytes per weight row, but the weight rows have 512}}
  %y = tern.bitlinear %x, %w, %d {kind = #tern.kind<binary>, layout = #tern.layout<i1>, granularity = #tern.scale<group = 128>} : tensor<1x2048xf32>, tensor<512x512xi8>, tensor<512x16xf32> -> tensor<1x512xf32>
  return
}
