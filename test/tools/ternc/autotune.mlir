// ternc --autotune on an MLIR input: each constant weight of a low-bit matmul
// is packed in the layout timed fastest for its shape. With one candidate the
// choice is known; the cache records it and answers the next compile.
// RUN: rm -rf %t && mkdir -p %t
// RUN: ternc %s --emit=tern --autotune --autotune-cache=%t/cache --autotune-layouts=i2:8:msb 2> %t/log | FileCheck %s
// RUN: FileCheck %s --check-prefix=LOG < %t/log
// RUN: ternc %s --emit=tern --autotune --autotune-cache=%t/cache --autotune-layouts=i2:8:msb 2>&1 >/dev/null | FileCheck %s --check-prefix=CACHED
// RUN: FileCheck %s --check-prefix=FILE < %t/cache/autotune.tsv

// The cache defaults to $TERN_CACHE_DIR; --autotune-cache=off keeps none.
// Binary weights get only the candidates that hold them.
// RUN: env TERN_CACHE_DIR=%t/env ternc %s --emit=tern --autotune --autotune-layouts=i2:8:msb -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=FILE < %t/env/autotune.tsv
// RUN: env TERN_CACHE_DIR=%t/off ternc %s --emit=tern --autotune --autotune-cache=off --autotune-layouts=i2:8:msb,i1:8 2>&1 >/dev/null | FileCheck %s --check-prefix=OFF
// RUN: not ls %t/off

// Errors: the layout is given twice, candidates without --autotune, a bad
// candidate, a negative thread count, an unwritable cache (a warning).
// RUN: not ternc %s --autotune --layout=i2:4 -o %t/x.so 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not ternc %s --autotune-layouts=i2:4 -o %t/x.so 2>&1 | FileCheck %s --check-prefix=NEEDS
// RUN: not ternc %s --autotune --autotune-layouts=i3:4 -o %t/x.so 2>&1 | FileCheck %s --check-prefix=BADSPEC
// RUN: not ternc %s --autotune --autotune-threads=-1 -o %t/x.so 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: touch %t/file
// RUN: ternc %s --emit=tern --autotune --autotune-cache=%t/file/dir --autotune-layouts=i2:8:msb 2>&1 >/dev/null | FileCheck %s --check-prefix=UNWRITABLE

// CHECK-LABEL: func.func @layers
// CHECK: tern.matmul %{{.*}}, %{{.*}} {layout = #tern.layout<i2, block = 8, msb>} : tensor<1x40xi8>, tensor<24x10xi8> -> tensor<1x24xi32>
// CHECK: tern.matmul %{{.*}}, %{{.*}} {kind = #tern.kind<binary>, layout = #tern.layout<i2, block = 8, msb>} : tensor<1x40xi8>, tensor<8x10xi8> -> tensor<1x8xi32>
// CHECK-NOT: tern.pack_layout

// LOG: ternc: autotune: 24x40 ternary weights, {{[0-9]+}} threads: i2:8:msb (us per decode/prefill token: i2:8:msb={{[0-9.]+}}/{{[0-9.]+}})
// LOG: ternc: autotune: 8x40 binary weights, {{[0-9]+}} threads: i2:8:msb
// CACHED: ternc: autotune: 24x40 ternary weights: i2:8:msb (cached)
// CACHED: ternc: autotune: 8x40 binary weights: i2:8:msb (cached)
// FILE: v1 {{.*}} ternary 24 40 i2:8:msb i2:8:msb i2:8:msb=
// OFF: ternc: autotune: 24x40 ternary weights, {{[0-9]+}} threads: i2:8:msb (us
// OFF: ternc: autotune: 8x40 binary weights, {{[0-9]+}} threads: {{i2:8:msb|i1:8}} (us per decode/prefill token: i2:8:msb={{[0-9.]+}}/{{[0-9.]+}} i1:8=
// BOTH: ternc: error: --layout and --autotune both choose the weight layout; give one
// NEEDS: ternc: error: --autotune-layouts needs --autotune
// BADSPEC: ternc: error: --autotune-layouts: 'i3:4' is not a layout
// THREADS: ternc: error: --autotune-threads must be 0 (all) or more
// UNWRITABLE: ternc: warning: cannot write the autotune cache '{{.*}}file/dir/autotune.tsv': Not a directory
func.func @layers(%a: tensor<1x40xi8>) -> (tensor<1x24xi32>, tensor<1x8xi32>) {
  %w = arith.constant dense<-1> : tensor<24x40xi8>
  %r = tern.matmul %a, %w : tensor<1x40xi8>, tensor<24x40xi8> -> tensor<1x24xi32>
  %b = arith.constant dense<1> : tensor<8x40xi8>
  %s = tern.matmul %a, %b {kind = #tern.kind<binary>} : tensor<1x40xi8>, tensor<8x40xi8> -> tensor<1x8xi32>
  return %r, %s : tensor<1x24xi32>, tensor<1x8xi32>
}
