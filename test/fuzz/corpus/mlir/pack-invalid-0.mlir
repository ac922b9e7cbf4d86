// Every diagnostic of the tern.pack verifier: rank 0, rank mismatch, leading
// dimensions, and a packed size that does not match the layout (for each
// encoding, and for K not a multiple of the block); plus a missing or
// ill-typed layout attribute, an invalid layout and the ODS type constraints.

func.func @rank0(%x: tensor<i8>) {
  // expected-error @+1 {{'tern.pack' op expects tensors of rank >= 1, got 'tensor<i8>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<i8> -> tensor<i8>
  return
}
