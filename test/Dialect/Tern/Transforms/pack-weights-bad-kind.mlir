// Ternary weights cannot be packed into the 1-bit layout, and a binary weight
// holding a 0 cannot either.
// RUN: tern-opt %s --tern-pack-weights=layout=i1:8 -split-input-file -verify-diagnostics

func.func @ternary_to_i1(%a: tensor<1x8xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<1> : tensor<1x8xi8>
  // expected-error @+1 {{cannot pack the #tern.kind<ternary> weights of this op into #tern.layout<i1>}}
  %r = tern.matmul %a, %w : tensor<1x8xi8>, tensor<1x8xi8> -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}

// -----

func.func @zero_in_binary(%a: tensor<1x8xi8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<[[1, 1, 1, 0, 1, 1, 1, 1]]> : tensor<1x8xi8>
  // expected-error @+1 {{weight value 0 at [0, 3] cannot be stored in #tern.layout<i1>}}
  %r = tern.matmul %a, %w {kind = #tern.kind<binary>} : tensor<1x8xi8>, tensor<1x8xi8> -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}
