// Round trip of tern.dequantize: i32 accumulators and i8 values, with no
// column scale, a scalar column scale and a per-column scale, rank 1 and 3
// inputs and dynamic sizes.

func.func @no_col_scale(%acc: tensor<4x640xi32>, %s: tensor<4xf32>) -> tensor<4x640xf32> {
  %y = tern.dequantize %acc, %s : tensor<4x640xi32>, tensor<4xf32> -> tensor<4x640xf32>
  return %y : tensor<4x640xf32>
}
