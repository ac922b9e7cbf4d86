// Every diagnostic of the tern.unpack verifier (shared with tern.pack, with
// the packed tensor as the input): rank 0, rank mismatch, leading dimensions
// and a packed input size that does not match the layout and the logical K;
// plus a missing layout and the ODS type constraints.

func.func @rank0(%x: tensor<i8>) {
  // expected-error @+1 {{'tern.unpack' op expects tensors of rank >= 1, got 'tensor<i8>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<i8> -> tensor<i8>
  return
}
