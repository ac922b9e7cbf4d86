// Binary weights: packed one bit each in i1, or kept unpacked, or in i2.
func.func @binary(%a: tensor<4x2048xi8>, %w1: tensor<512x256xi8>, %w8: tensor<512x2048xi8>, %w2: tensor<512x512xi8>)
    -> (tensor<4x512xi32>, tensor<4x512xi32>, tensor<4x512xi32>, tensor<4x512xi32>) {
  %0 = tern.matmul %a, %w1 {kind = #tern.kind<binary>, layout = #tern.layout<i1>} : tensor<4x2048xi8>, tensor<512x256xi8> -> tensor<4x512xi32>
  %1 = tern.matmul %a, %w1 {layout = #tern.layout<i1, block = 128, msb>, kind = #tern.kind<binary>} : tensor<4x2048xi8>, tensor<512x256xi8> -> tensor<4x512xi32>
  %2 = tern.matmul %a, %w8 {kind = #tern.kind<binary>} : tensor<4x2048xi8>, tensor<512x2048xi8> -> tensor<4x512xi32>
  %3 = tern.matmul %a, %w2 {kind = #tern.kind<binary>, layout = #tern.layout<i2>} : tensor<4x2048xi8>, tensor<512x512xi8> -> tensor<4x512xi32>
  return %0, %1, %2, %3 : tensor<4x512xi32>, tensor<4x512xi32>, tensor<4x512xi32>, tensor<4x512xi32>
}
