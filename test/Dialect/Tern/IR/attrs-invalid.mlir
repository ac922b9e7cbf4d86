// Every diagnostic of the #tern.kind, #tern.scale and #tern.layout parsers
// and verifiers (plus #tern.rope_style and an unknown attribute name).
// RUN: tern-opt %s -split-input-file -verify-diagnostics

//===--- #tern.layout ---===//

// expected-error @+1 {{expected a layout encoding (i8, i2, b3 or i1), got 'i4'}}
func.func @bad_encoding() attributes {attr = #tern.layout<i4>} { return }

// -----

// Encodings are case-sensitive.
// expected-error @+1 {{expected a layout encoding (i8, i2, b3 or i1), got 'I2'}}
func.func @uppercase_encoding() attributes {attr = #tern.layout<I2>} { return }

// -----

// expected-error @+1 {{expected valid keyword}}
func.func @empty_layout() attributes {attr = #tern.layout<>} { return }

// -----

// expected-error @+1 {{block 6 of an i2 layout must be a multiple of 4 between 4 and 65536}}
func.func @i2_block_not_multiple() attributes {attr = #tern.layout<i2, block = 6>} { return }

// -----

// expected-error @+1 {{block 7 of an b3 layout must be a multiple of 5 between 5 and 65536}}
func.func @b3_block_not_multiple() attributes {attr = #tern.layout<b3, block = 7>} { return }

// -----

// b3 blocks are multiples of 5 trits: the power-of-two 128 is not one.
// expected-error @+1 {{block 128 of an b3 layout must be a multiple of 5 between 5 and 65536}}
func.func @b3_block_128() attributes {attr = #tern.layout<b3, block = 128>} { return }

// -----

// expected-error @+1 {{block 12 of an i1 layout must be a multiple of 8 between 8 and 65536}}
func.func @i1_block_not_multiple() attributes {attr = #tern.layout<i1, block = 12>} { return }

// -----

// Smaller than one byte's worth of values.
// expected-error @+1 {{block 4 of an i1 layout must be a multiple of 8 between 8 and 65536}}
func.func @i1_block_too_small() attributes {attr = #tern.layout<i1, block = 4>} { return }

// -----

// expected-error @+1 {{block 0 of an i2 layout must be a multiple of 4 between 4 and 65536}}
func.func @block_zero() attributes {attr = #tern.layout<i2, block = 0>} { return }

// -----

// expected-error @+1 {{block -4 of an i2 layout must be a multiple of 4 between 4 and 65536}}
func.func @block_negative() attributes {attr = #tern.layout<i2, block = -4>} { return }

// -----

// expected-error @+1 {{block 131072 of an i2 layout must be a multiple of 4 between 4 and 65536}}
func.func @block_too_large() attributes {attr = #tern.layout<i2, block = 131072>} { return }

// -----

// expected-error @+1 {{integer value too large}}
func.func @block_overflow() attributes {attr = #tern.layout<i2, block = 99999999999999999999>} { return }

// -----

// expected-error @+1 {{an i8 layout stores one weight per byte and takes no block}}
func.func @i8_with_block() attributes {attr = #tern.layout<i8, block = 2>} { return }

// -----

// expected-error @+1 {{an i8 layout stores one weight per byte and takes no block}}
func.func @i8_block_zero() attributes {attr = #tern.layout<i8, block = 0>} { return }

// -----

// expected-error @+1 {{bit order applies to i2 and i1 layouts only}}
func.func @b3_msb() attributes {attr = #tern.layout<b3, msb>} { return }

// -----

// expected-error @+1 {{bit order applies to i2 and i1 layouts only}}
func.func @b3_block_msb() attributes {attr = #tern.layout<b3, block = 160, msb>} { return }

// -----

// expected-error @+1 {{bit order applies to i2 and i1 layouts only}}
func.func @i8_msb() attributes {attr = #tern.layout<i8, msb>} { return }

// -----

// expected-error @+1 {{expected 'block = N', 'lsb', 'msb' or 'rows = N', got 'foo'}}
func.func @unknown_layout_item() attributes {attr = #tern.layout<i2, foo>} { return }

// -----

// expected-error @+1 {{expected 'block = N', 'lsb', 'msb' or 'rows = N', got 'MSB'}}
func.func @uppercase_order() attributes {attr = #tern.layout<i2, MSB>} { return }

// -----

// expected-error @+1 {{expected '='}}
func.func @block_without_equal() attributes {attr = #tern.layout<i2, block 4>} { return }

// -----

// expected-error @+1 {{expected integer value}}
func.func @block_not_integer() attributes {attr = #tern.layout<i2, block = x>} { return }

// -----

// expected-error @+1 {{expected '>'}}
func.func @layout_missing_comma() attributes {attr = #tern.layout<i2 block = 4>} { return }

// -----

// expected-error @+1 {{expected valid keyword}}
func.func @layout_trailing_comma() attributes {attr = #tern.layout<i2,>} { return }

// -----

//===--- #tern.scale ---===//

// expected-error @+1 {{scale group size must be positive, got 0}}
func.func @group_zero() attributes {attr = #tern.scale<group = 0>} { return }

// -----

// expected-error @+1 {{scale group size must be positive, got -3}}
func.func @group_negative() attributes {attr = #tern.scale<group = -3>} { return }

// -----

// expected-error @+1 {{expected '='}}
func.func @group_without_size() attributes {attr = #tern.scale<group>} { return }

// -----

// Only a group scale takes a size.
// expected-error @+1 {{only a group scale takes a group size}}
func.func @per_row_with_group() attributes {attr = #tern.scale<per_row = 4>} { return }

// -----

// expected-error @+1 {{expected '>'}}
func.func @per_tensor_with_group() attributes {attr = #tern.scale<per_tensor, group = 4>} { return }

// -----

// expected-error @+1 {{expected 'per_tensor', 'per_row' or 'group', got 'blocked'}}
func.func @unknown_granularity() attributes {attr = #tern.scale<blocked>} { return }

// -----

// expected-error @+1 {{integer value too large}}
func.func @group_overflow() attributes {attr = #tern.scale<group = 99999999999999999999>} { return }

// -----

//===--- #tern.kind ---===//

// expected-error @+1 {{expected 'ternary' or 'binary', got 'unary'}}
func.func @unknown_kind() attributes {attr = #tern.kind<unary>} { return }

// -----

// expected-error @+1 {{expected 'ternary' or 'binary', got 'i1'}}
func.func @kind_given_encoding() attributes {attr = #tern.kind<i1>} { return }

// -----

// expected-error @+1 {{expected '>'}}
func.func @two_kinds() attributes {attr = #tern.kind<ternary, binary>} { return }

// -----

// expected-error @+1 {{expected valid keyword}}
func.func @empty_kind() attributes {attr = #tern.kind<>} { return }

// -----

//===--- #tern.rope_style and unknown names ---===//

// expected-error @+2 {{expected ::mlir::tern::RopeStyle to be one of: half, interleaved}}
// expected-error @+1 {{failed to parse Tern_RopeStyleAttr parameter 'value'}}
func.func @unknown_rope_style() attributes {attr = #tern.rope_style<diagonal>} { return }

// -----

// expected-error @+1 {{unknown attribute `packing` in dialect `tern`}}
func.func @unknown_attribute() attributes {attr = #tern.packing<i2>} { return }

// -----

// expected-error @+1 {{the layout's block is given twice}}
func.func @block_twice() attributes {attr = #tern.layout<i2, block = 4, block = 8>} { return }

// -----

// expected-error @+1 {{the layout's bit order is given twice}}
func.func @order_twice() attributes {attr = #tern.layout<i2, msb, lsb>} { return }

// -----

// expected-error @+1 {{the layout's rows is given twice}}
func.func @rows_twice() attributes {attr = #tern.layout<i2, rows = 4, rows = 8>} { return }

// -----

// expected-error @+1 {{rows 0 must be a power of two between 1 and 64}}
func.func @rows_zero() attributes {attr = #tern.layout<i2, rows = 0>} { return }

// -----

// expected-error @+1 {{an i8 layout stores rows one after another and takes no rows}}
func.func @i8_rows() attributes {attr = #tern.layout<i8, rows = 8>} { return }

// -----

// expected-error @+1 {{rows 3 must be a power of two between 1 and 64}}
func.func @rows_three() attributes {attr = #tern.layout<i2, rows = 3>} { return }
