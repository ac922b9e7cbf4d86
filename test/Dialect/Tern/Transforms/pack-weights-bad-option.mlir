// An invalid layout option is rejected before any IR is touched, with a
// message that says what a layout looks like; tern-opt exits non-zero.
// RUN: not tern-opt %s --tern-pack-weights=layout=i3 2>&1 | FileCheck %s --check-prefix=ENC
// RUN: not tern-opt %s --tern-pack-weights=layout=i2:6 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not tern-opt %s --tern-pack-weights=layout=b3:5:msb 2>&1 | FileCheck %s --check-prefix=ORDER
// RUN: not tern-opt %s --tern-pack-weights=layout=i2:x 2>&1 | FileCheck %s --check-prefix=JUNK

// ENC: error: tern-pack-weights: invalid 'layout' option: 'i3' is not a layout; expected ENCODING[:BLOCK][:ORDER][:rows=R] with ENCODING one of i8, i2, b3, i1
// BLOCK: error: tern-pack-weights: invalid 'layout' option: layout 'i2:6': block 6 of an i2 layout must be a multiple of 4
// ORDER: error: tern-pack-weights: invalid 'layout' option: layout 'b3:5:msb': bit order applies to i2 and i1 layouts only
// JUNK: error: tern-pack-weights: invalid 'layout' option: 'x' in layout 'i2:x' is neither a block size, lsb/msb nor rows=R
func.func @f() {
  return
}
