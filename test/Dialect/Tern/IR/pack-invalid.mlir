// Every diagnostic of the tern.pack verifier: rank 0, rank mismatch, leading
// dimensions, and a packed size that does not match the layout (for each
// encoding, and for K not a multiple of the block); plus a missing or
// ill-typed layout attribute, an invalid layout and the ODS type constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @rank0(%x: tensor<i8>) {
  // expected-error @+1 {{'tern.pack' op expects tensors of rank >= 1, got 'tensor<i8>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<i8> -> tensor<i8>
  return
}

// -----

func.func @rank_mismatch(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op expects the packed and unpacked tensors to have the same rank, got 'tensor<8xi8>' and 'tensor<4x8xi8>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi8> -> tensor<8xi8>
  return
}

// -----

func.func @leading_dims(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op expects the packed and unpacked tensors to agree on all but the last dimension, got 'tensor<3x2xi8>' and 'tensor<4x8xi8>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi8> -> tensor<3x2xi8>
  return
}

// -----

func.func @leading_dims_rank3(%x: tensor<2x3x8xi8>) {
  // expected-error @+1 {{'tern.pack' op expects the packed and unpacked tensors to agree on all but the last dimension, got 'tensor<3x2x2xi8>' and 'tensor<2x3x8xi8>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<2x3x8xi8> -> tensor<3x2x2xi8>
  return
}

// -----

func.func @i8_size(%x: tensor<4x13xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i8> packs K = 13 into 13 bytes per row, but the result has 12}}
  %p = tern.pack %x {layout = #tern.layout<i8>} : tensor<4x13xi8> -> tensor<4x12xi8>
  return
}

// -----

// An unpacked size is not a packed one.
func.func @i2_size(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i2> packs K = 8 into 2 bytes per row, but the result has 8}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi8> -> tensor<4x8xi8>
  return
}

// -----

// K = 300 pads to 2 blocks of 256: 128 bytes, not 300 / 4 = 75.
func.func @i2_block_padding(%x: tensor<4x300xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i2, block = 256> packs K = 300 into 128 bytes per row, but the result has 75}}
  %p = tern.pack %x {layout = #tern.layout<i2, block = 256>} : tensor<4x300xi8> -> tensor<4x75xi8>
  return
}

// -----

func.func @i2_msb_size(%x: tensor<4x100xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i2, block = 128, msb> packs K = 100 into 32 bytes per row, but the result has 25}}
  %p = tern.pack %x {layout = #tern.layout<i2, block = 128, msb>} : tensor<4x100xi8> -> tensor<4x25xi8>
  return
}

// -----

// K = 13 pads to 15 trits: 3 bytes, not floor(13 / 5) = 2.
func.func @b3_size(%x: tensor<4x13xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<b3> packs K = 13 into 3 bytes per row, but the result has 2}}
  %p = tern.pack %x {layout = #tern.layout<b3>} : tensor<4x13xi8> -> tensor<4x2xi8>
  return
}

// -----

func.func @b3_block_size(%x: tensor<4x200xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<b3, block = 160> packs K = 200 into 64 bytes per row, but the result has 40}}
  %p = tern.pack %x {layout = #tern.layout<b3, block = 160>} : tensor<4x200xi8> -> tensor<4x40xi8>
  return
}

// -----

func.func @i1_size(%x: tensor<2x13xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i1> packs K = 13 into 2 bytes per row, but the result has 1}}
  %p = tern.pack %x {layout = #tern.layout<i1>} : tensor<2x13xi8> -> tensor<2x1xi8>
  return
}

// -----

func.func @i1_block_size(%x: tensor<2x130xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i1, block = 128, msb> packs K = 130 into 32 bytes per row, but the result has 17}}
  %p = tern.pack %x {layout = #tern.layout<i1, block = 128, msb>} : tensor<2x130xi8> -> tensor<2x17xi8>
  return
}

// -----

// Leading dimensions may be dynamic; the packed size is still checked.
func.func @dynamic_leading(%x: tensor<?x2560xi8>) {
  // expected-error @+1 {{'tern.pack' op layout #tern.layout<i2, block = 256> packs K = 2560 into 640 bytes per row, but the result has 320}}
  %p = tern.pack %x {layout = #tern.layout<i2, block = 256>} : tensor<?x2560xi8> -> tensor<?x320xi8>
  return
}

// -----

func.func @missing_layout(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op requires attribute 'layout'}}
  %p = tern.pack %x : tensor<4x8xi8> -> tensor<4x2xi8>
  return
}

// -----

func.func @layout_not_a_layout(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op attribute 'layout' failed to satisfy constraint: the physical packing of low-bit weights along K}}
  %p = tern.pack %x {layout = #tern.kind<binary>} : tensor<4x8xi8> -> tensor<4x2xi8>
  return
}

// -----

func.func @invalid_layout(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{block 6 of an i2 layout must be a multiple of 4 between 4 and 65536}}
  %p = tern.pack %x {layout = #tern.layout<i2, block = 6>} : tensor<4x8xi8> -> tensor<4x2xi8>
  return
}

// -----

func.func @i32_input(%x: tensor<4x8xi32>) {
  // expected-error @+1 {{'tern.pack' op operand #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x8xi32>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi32> -> tensor<4x2xi8>
  return
}

// -----

func.func @i32_result(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{'tern.pack' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x2xi32>'}}
  %p = tern.pack %x {layout = #tern.layout<i2>} : tensor<4x8xi8> -> tensor<4x2xi32>
  return
}
