// Round trip of every form of the tern attributes, attached as discardable
// attributes of functions: #tern.kind, #tern.scale, #tern.layout and
// #tern.rope_style. The printer omits parameters at their defaults (block =
// one byte's worth of values, lsb order), so a spelled-out default prints in
// the short form, and block/order print in a fixed order.

func.func @kind_ternary() attributes {attr = #tern.kind<ternary>} { return }
func.func @kind_binary() attributes {attr = #tern.kind<binary>} { return }

func.func @scale_per_tensor() attributes {attr = #tern.scale<per_tensor>} { return }
func.func @scale_per_row() attributes {attr = #tern.scale<per_row>} { return }
func.func @scale_group() attributes {attr = #tern.scale<group = 128>} { return }
func.func @scale_group_one() attributes {attr = #tern.scale<group = 1>} { return }

func.func @layout_i8() attributes {attr = #tern.layout<i8>} { return }
func.func @layout_i2() attributes {attr = #tern.layout<i2>} { return }
func.func @layout_i2_256() attributes {attr = #tern.layout<i2, block = 256>} { return }
func.func @layout_i2_256_rows8() attributes {attr = #tern.layout<i2, rows = 8, block = 256>} { return }
func.func @layout_rows_default() attributes {attr = #tern.layout<b3, block = 160, rows = 1>} { return }
func.func @layout_i2_128_msb() attributes {attr = #tern.layout<i2, block = 128, msb>} { return }
func.func @layout_i2_msb() attributes {attr = #tern.layout<i2, msb>} { return }
func.func @layout_b3() attributes {attr = #tern.layout<b3>} { return }
func.func @layout_b3_160() attributes {attr = #tern.layout<b3, block = 160>} { return }
func.func @layout_i1() attributes {attr = #tern.layout<i1>} { return }
func.func @layout_i1_128_msb() attributes {attr = #tern.layout<i1, block = 128, msb>} { return }
// The largest block accepted, 2^16.
func.func @layout_i2_max_block() attributes {attr = #tern.layout<i2, block = 65536>} { return }

// A block equal to the encoding's default prints shortened.
func.func @layout_i1_block_8() attributes {attr = #tern.layout<i1, block = 8>} { return }
func.func @layout_i2_block_4() attributes {attr = #tern.layout<i2, block = 4>} { return }
func.func @layout_b3_block_5() attributes {attr = #tern.layout<b3, block = 5>} { return }
func.func @layout_i8_block_1() attributes {attr = #tern.layout<i8, block = 1>} { return }
func.func @layout_i2_block_4_msb() attributes {attr = #tern.layout<i2, block = 4, msb>} { return }

// An explicit lsb (the default order) is dropped, also for i8 and b3; msb
// given before the block prints after it.
func.func @layout_i2_lsb() attributes {attr = #tern.layout<i2, block = 128, lsb>} { return }
func.func @layout_i8_lsb() attributes {attr = #tern.layout<i8, lsb>} { return }
func.func @layout_b3_lsb() attributes {attr = #tern.layout<b3, lsb, block = 160>} { return }
func.func @layout_msb_first() attributes {attr = #tern.layout<i1, msb, block = 64>} { return }

func.func @rope_half() attributes {attr = #tern.rope_style<half>} { return }
func.func @rope_interleaved() attributes {attr = #tern.rope_style<interleaved>} { return }

// Several at once, nested in an array and a dictionary (keys print sorted).
func.func @nested() attributes {
  weight = {scale = #tern.scale<per_row>, layout = #tern.layout<i2, block = 256>, kind = #tern.kind<ternary>},
  all = [#tern.kind<binary>, #tern.scale<group = 64>, #tern.layout<i1, block = 8, msb>]
} { return }
