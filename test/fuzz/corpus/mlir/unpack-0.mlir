// Round trip of tern.unpack, the inverse of tern.pack: every encoding, blocks,
// msb order, a logical K that is not a multiple of the block, rank 1 and 3
// and dynamic sizes. The result's last dimension is the logical K.

func.func @i8(%p: tensor<4x16xi8>) -> tensor<4x16xi8> {
  %w = tern.unpack %p {layout = #tern.layout<i8>} : tensor<4x16xi8> -> tensor<4x16xi8>
  return %w : tensor<4x16xi8>
}
