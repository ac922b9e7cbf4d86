// Round trip of tern.quantize: per-token int8 quantization of rank 1, 2 and 3
// inputs, f16/bf16 inputs, a non-default epsilon and dynamic sizes. The scale
// has the input's shape without its last dimension.

func.func @rank2(%x: tensor<4x2560xf32>) -> (tensor<4x2560xi8>, tensor<4xf32>) {
  %q, %s = tern.quantize %x : tensor<4x2560xf32> -> tensor<4x2560xi8>, tensor<4xf32>
  return %q, %s : tensor<4x2560xi8>, tensor<4xf32>
}
