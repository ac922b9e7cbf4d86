// Every diagnostic of the tern.unpack verifier (shared with tern.pack, with
// the packed tensor as the input): rank 0, rank mismatch, leading dimensions
// and a packed input size that does not match the layout and the logical K;
// plus a missing layout and the ODS type constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @rank0(%x: tensor<i8>) {
  // expected-error @+1 {{'tern.unpack' op expects tensors of rank >= 1, got 'tensor<i8>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<i8> -> tensor<i8>
  return
}

// -----

// The result (unpacked) is checked for rank >= 1 first.
func.func @rank0_result(%x: tensor<8xi8>) {
  // expected-error @+1 {{'tern.unpack' op expects tensors of rank >= 1, got 'tensor<i8>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<8xi8> -> tensor<i8>
  return
}

// -----

func.func @rank_mismatch(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op expects the packed and unpacked tensors to have the same rank, got 'tensor<4x2xi8>' and 'tensor<8xi8>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<4x2xi8> -> tensor<8xi8>
  return
}

// -----

func.func @leading_dims(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op expects the packed and unpacked tensors to agree on all but the last dimension, got 'tensor<4x2xi8>' and 'tensor<3x8xi8>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<4x2xi8> -> tensor<3x8xi8>
  return
}

// -----

// K = 9 needs 3 bytes of i2.
func.func @i2_size(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<i2> packs K = 9 into 3 bytes per row, but the input has 2}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<4x2xi8> -> tensor<4x9xi8>
  return
}

// -----

func.func @i2_block_size(%x: tensor<8x64xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<i2, block = 256> packs K = 300 into 128 bytes per row, but the input has 64}}
  %w = tern.unpack %x {layout = #tern.layout<i2, block = 256>} : tensor<8x64xi8> -> tensor<8x300xi8>
  return
}

// -----

func.func @b3_size(%x: tensor<8x3xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<b3> packs K = 16 into 4 bytes per row, but the input has 3}}
  %w = tern.unpack %x {layout = #tern.layout<b3>} : tensor<8x3xi8> -> tensor<8x16xi8>
  return
}

// -----

func.func @i1_size(%x: tensor<2x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<i1, msb> packs K = 17 into 3 bytes per row, but the input has 2}}
  %w = tern.unpack %x {layout = #tern.layout<i1, msb>} : tensor<2x2xi8> -> tensor<2x17xi8>
  return
}

// -----

func.func @i8_size(%x: tensor<2x16xi8>) {
  // expected-error @+1 {{'tern.unpack' op layout #tern.layout<i8> packs K = 15 into 15 bytes per row, but the input has 16}}
  %w = tern.unpack %x {layout = #tern.layout<i8>} : tensor<2x16xi8> -> tensor<2x15xi8>
  return
}

// -----

func.func @missing_layout(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op requires attribute 'layout'}}
  %w = tern.unpack %x : tensor<4x2xi8> -> tensor<4x8xi8>
  return
}

// -----

func.func @i32_result(%x: tensor<4x2xi8>) {
  // expected-error @+1 {{'tern.unpack' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x8xi32>'}}
  %w = tern.unpack %x {layout = #tern.layout<i2>} : tensor<4x2xi8> -> tensor<4x8xi32>
  return
}
