// A dynamic K makes the group count dynamic; a dynamic N the row count.
func.func @dynamic(%a: tensor<8x?xf32>, %b: tensor<?x32xf32>) -> (tensor<8x?xf32>, tensor<?xf32>) {
  %q0, %s0 = tern.ternarize %a {granularity = #tern.scale<group = 64>} : tensor<8x?xf32> -> tensor<8x?xi8>, tensor<8x?xf32>
  %q1, %s1 = tern.ternarize %b {granularity = #tern.scale<per_row>} : tensor<?x32xf32> -> tensor<?x32xi8>, tensor<?xf32>
  return %s0, %s1 : tensor<8x?xf32>, tensor<?xf32>
}
