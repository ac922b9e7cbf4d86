// Every diagnostic of the tern.matmul verifier: operand and result ranks, a
// layout that cannot hold the weight kind (i1 and ternary), K disagreeing for
// unpacked and for packed weights (the message names the layout and the byte
// counts), and result rows/columns; plus the ODS type constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @lhs_rank(%a: tensor<64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op expects activations of rank 2, got 'tensor<64xi8>'}}
  %y = tern.matmul %a, %w : tensor<64xi8>, tensor<32x64xi8> -> tensor<32xi32>
  return
}

// -----

func.func @weight_rank(%a: tensor<4x64xi8>, %w: tensor<2x32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op expects a weight of rank 2, got 'tensor<2x32x64xi8>'}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<2x32x64xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @result_rank(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op expects a result of rank 2, got 'tensor<1x4x32xi32>'}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<1x4x32xi32>
  return
}

// -----

// i1 has no code for 0, so it cannot store ternary (the default kind) weights.
func.func @i1_ternary(%a: tensor<4x64xi8>, %w: tensor<32x8xi8>) {
  // expected-error @+1 {{'tern.matmul' op layout #tern.layout<i1> cannot hold #tern.kind<ternary> weights}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i1>} : tensor<4x64xi8>, tensor<32x8xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @i1_block_ternary(%a: tensor<4x256xi8>, %w: tensor<32x32xi8>) {
  // expected-error @+1 {{'tern.matmul' op layout #tern.layout<i1, block = 128, msb> cannot hold #tern.kind<ternary> weights}}
  %y = tern.matmul %a, %w {kind = #tern.kind<ternary>, layout = #tern.layout<i1, block = 128, msb>} : tensor<4x256xi8>, tensor<32x32xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @k_unpacked(%a: tensor<4x64xi8>, %w: tensor<32x60xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 64 but the weight rows have 60}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x60xi8> -> tensor<4x32xi32>
  return
}

// -----

// A weight stored [K, N] instead of [N, K].
func.func @k_transposed(%a: tensor<4x64xi8>, %w: tensor<64x32xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 64 but the weight rows have 32}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x64xi32>
  return
}

// -----

func.func @k_packed_i2(%a: tensor<4x2560xi8>, %w: tensor<640x320xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 2560, which #tern.layout<i2, block = 256> packs into 640 bytes per weight row, but the weight rows have 320}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<4x2560xi8>, tensor<640x320xi8> -> tensor<4x640xi32>
  return
}

// -----

// An unpacked weight given a packed layout.
func.func @k_packed_unpacked_weight(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 64, which #tern.layout<i2> packs into 16 bytes per weight row, but the weight rows have 64}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i2>} : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x32xi32>
  return
}

// -----

// K = 300 pads to 2 blocks of 256: 128 bytes, not 75.
func.func @k_packed_padding(%a: tensor<2x300xi8>, %w: tensor<16x75xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 300, which #tern.layout<i2, block = 256> packs into 128 bytes per weight row, but the weight rows have 75}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i2, block = 256>} : tensor<2x300xi8>, tensor<16x75xi8> -> tensor<2x16xi32>
  return
}

// -----

func.func @k_packed_b3(%a: tensor<4x13xi8>, %w: tensor<32x2xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 13, which #tern.layout<b3> packs into 3 bytes per weight row, but the weight rows have 2}}
  %y = tern.matmul %a, %w {layout = #tern.layout<b3>} : tensor<4x13xi8>, tensor<32x2xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @k_packed_i1(%a: tensor<4x64xi8>, %w: tensor<32x16xi8>) {
  // expected-error @+1 {{'tern.matmul' op K dimensions disagree: the activations have K = 64, which #tern.layout<i1> packs into 8 bytes per weight row, but the weight rows have 16}}
  %y = tern.matmul %a, %w {kind = #tern.kind<binary>, layout = #tern.layout<i1>} : tensor<4x64xi8>, tensor<32x16xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @result_rows(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op result has 5 rows but the activations have 4}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<5x32xi32>
  return
}

// -----

func.func @result_columns(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op result has 64 columns but the weight has 32 output rows (N)}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x64xi32>
  return
}

// -----

// Dynamic M in the operand does not hide a static mismatch in N.
func.func @result_columns_dynamic_m(%a: tensor<?x2560xi8>, %w: tensor<640x640xi8>) {
  // expected-error @+1 {{'tern.matmul' op result has 320 columns but the weight has 640 output rows (N)}}
  %y = tern.matmul %a, %w {layout = #tern.layout<i2>} : tensor<?x2560xi8>, tensor<640x640xi8> -> tensor<?x320xi32>
  return
}

// -----

func.func @f32_result(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op result #0 must be ranked tensor of 32-bit signless integer values, but got 'tensor<4x32xf32>'}}
  %y = tern.matmul %a, %w : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x32xf32>
  return
}

// -----

func.func @f32_lhs(%a: tensor<4x64xf32>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op operand #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<4x64xf32>'}}
  %y = tern.matmul %a, %w : tensor<4x64xf32>, tensor<32x64xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @kind_not_a_kind(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op attribute 'kind' failed to satisfy constraint: the value domain of a low-bit weight}}
  %y = tern.matmul %a, %w {kind = #tern.layout<i8>} : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x32xi32>
  return
}

// -----

func.func @layout_not_a_layout(%a: tensor<4x64xi8>, %w: tensor<32x64xi8>) {
  // expected-error @+1 {{'tern.matmul' op attribute 'layout' failed to satisfy constraint: the physical packing of low-bit weights along K}}
  %y = tern.matmul %a, %w {layout = #tern.scale<per_row>} : tensor<4x64xi8>, tensor<32x64xi8> -> tensor<4x32xi32>
  return
}
