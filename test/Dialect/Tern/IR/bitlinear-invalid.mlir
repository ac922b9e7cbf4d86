// Every diagnostic of the tern.bitlinear verifier: a non-positive epsilon,
// the checks shared with tern.matmul (ranks, layout vs kind, K for unpacked
// and packed weights, result rows/columns), the weight scale shape for each
// granularity, and the bias shape; plus the ODS type constraints.
// RUN: tern-opt %s -split-input-file -verify-diagnostics

func.func @zero_epsilon(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a positive epsilon, got 0.000000e+00}}
  %y = tern.bitlinear %x, %w, %s {epsilon = 0.0 : f32} : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}

// -----

func.func @negative_epsilon(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a positive epsilon, got -1.000000e-05}}
  %y = tern.bitlinear %x, %w, %s {epsilon = -1.0e-5 : f32} : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}

// -----

func.func @input_rank(%x: tensor<64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects activations of rank 2, got 'tensor<64xf32>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<32xf32>
  return
}

// -----

func.func @weight_rank(%x: tensor<4x64xf32>, %w: tensor<2048xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight of rank 2, got 'tensor<2048xi8>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<2048xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}

// -----

func.func @result_rank(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a result of rank 2, got 'tensor<128xf32>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<128xf32>
  return
}

// -----

func.func @i1_ternary(%x: tensor<4x64xf32>, %w: tensor<32x8xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op layout #tern.layout<i1> cannot hold #tern.kind<ternary> weights}}
  %y = tern.bitlinear %x, %w, %s {layout = #tern.layout<i1>} : tensor<4x64xf32>, tensor<32x8xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}

// -----

func.func @k_unpacked(%x: tensor<4x64xf32>, %w: tensor<32x32xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op K dimensions disagree: the activations have K = 64 but the weight rows have 32}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x32xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}

// -----

func.func @k_packed(%x: tensor<4x2560xf32>, %w: tensor<640x512xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op K dimensions disagree: the activations have K = 2560, which #tern.layout<i2, block = 128, msb> packs into 640 bytes per weight row, but the weight rows have 512}}
  %y = tern.bitlinear %x, %w, %s {layout = #tern.layout<i2, block = 128, msb>} : tensor<4x2560xf32>, tensor<640x512xi8>, tensor<f32> -> tensor<4x640xf32>
  return
}

// -----

func.func @k_packed_i1(%x: tensor<1x2048xf32>, %w: tensor<512x512xi8>, %d: tensor<512x16xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op K dimensions disagree: the activations have K = 2048, which #tern.layout<i1> packs into 256 bytes per weight row, but the weight rows have 512}}
  %y = tern.bitlinear %x, %w, %d {kind = #tern.kind<binary>, layout = #tern.layout<i1>, granularity = #tern.scale<group = 128>} : tensor<1x2048xf32>, tensor<512x512xi8>, tensor<512x16xf32> -> tensor<1x512xf32>
  return
}

// -----

func.func @result_rows(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op result has 3 rows but the activations have 4}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<3x32xf32>
  return
}

// -----

func.func @result_columns(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op result has 31 columns but the weight has 32 output rows (N)}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<4x31xf32>
  return
}

// -----

func.func @per_tensor_scale(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<32xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape [] (rank 0) (one scale per tensor for #tern.scale<per_tensor>), got 'tensor<32xf32>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf32>, tensor<32x64xi8>, tensor<32xf32> -> tensor<4x32xf32>
  return
}

// -----

func.func @per_row_scale_scalar(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape 32 (one scale per output row for #tern.scale<per_row>), got 'tensor<f32>'}}
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<per_row>} : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}

// -----

// One scale per output row (N = 32), not per K.
func.func @per_row_scale_k(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<64xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape 32 (one scale per output row for #tern.scale<per_row>), got 'tensor<64xf32>'}}
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<per_row>} : tensor<4x64xf32>, tensor<32x64xi8>, tensor<64xf32> -> tensor<4x32xf32>
  return
}

// -----

// The group count comes from the logical K (300 -> 3 groups of 128), not the
// packed row size.
func.func @group_scale_count(%x: tensor<4x300xf32>, %w: tensor<32x300xi8>, %s: tensor<32x2xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape 32x3 (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<32x2xf32>'}}
  %y = tern.bitlinear %x, %w, %s {granularity = #tern.scale<group = 128>} : tensor<4x300xf32>, tensor<32x300xi8>, tensor<32x2xf32> -> tensor<4x32xf32>
  return
}

// -----

func.func @group_scale_binary_i1(%x: tensor<4x256xf32>, %w: tensor<32x32xi8>, %s: tensor<32xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a weight scale of shape 32x2 (one scale per row and group of K for #tern.scale<group = 128>), got 'tensor<32xf32>'}}
  %y = tern.bitlinear %x, %w, %s {kind = #tern.kind<binary>, layout = #tern.layout<i1>, granularity = #tern.scale<group = 128>} : tensor<4x256xf32>, tensor<32x32xi8>, tensor<32xf32> -> tensor<4x32xf32>
  return
}

// -----

func.func @bias_size(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a bias of shape 32 (one value per output row), got 'tensor<64xf32>'}}
  %y = tern.bitlinear %x, %w, %s, %b : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32>, tensor<64xf32> -> tensor<4x32xf32>
  return
}

// -----

func.func @bias_rank(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>, %b: tensor<4x32xf32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a bias of shape 32 (one value per output row), got 'tensor<4x32xf32>'}}
  %y = tern.bitlinear %x, %w, %s, %b : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32>, tensor<4x32xf32> -> tensor<4x32xf32>
  return
}

// -----

func.func @bias_scalar(%x: tensor<4x64xf32>, %w: tensor<32x64xi8>, %s: tensor<f32>, %b: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op expects a bias of shape 32 (one value per output row), got 'tensor<f32>'}}
  %y = tern.bitlinear %x, %w, %s, %b : tensor<4x64xf32>, tensor<32x64xi8>, tensor<f32>, tensor<f32> -> tensor<4x32xf32>
  return
}

// -----

func.func @f16_input(%x: tensor<4x64xf16>, %w: tensor<32x64xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'tern.bitlinear' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4x64xf16>'}}
  %y = tern.bitlinear %x, %w, %s : tensor<4x64xf16>, tensor<32x64xi8>, tensor<f32> -> tensor<4x32xf32>
  return
}
