// Round trip of tern.matmul: the default (unpacked i8, ternary) weights,
// packed i2/b3 layouts, binary weights in i1, K not a multiple of the block,
// and dynamic M. Default kind and layout are not printed.

func.func @default_layout(%a: tensor<4x2560xi8>, %w: tensor<640x2560xi8>) -> tensor<4x640xi32> {
  %acc = tern.matmul %a, %w : tensor<4x2560xi8>, tensor<640x2560xi8> -> tensor<4x640xi32>
  return %acc : tensor<4x640xi32>
}
