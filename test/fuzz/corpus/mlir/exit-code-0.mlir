// A verifier error makes tern-opt report the diagnostic and exit with a
// non-zero status (checked by `not`) instead of crashing or printing IR.

func.func @k_mismatch(%a: tensor<4x2560xi8>, %w: tensor<640x640xi8>) -> tensor<4x640xi32> {
  %acc = tern.matmul %a, %w : tensor<4x2560xi8>, tensor<640x640xi8> -> tensor<4x640xi32>
  return %acc : tensor<4x640xi32>
}
