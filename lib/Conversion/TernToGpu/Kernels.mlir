// Tern's CUDA kernels, in the gpu, nvvm and llvm dialects. convert-tern-to-gpu
// copies the ones a module launches into its gpu.module; the NVPTX back end
// turns them into PTX with the host code's other kernels.
//
// Conventions: buffers are raw `!llvm.ptr`s to their first element, strides
// and sizes are i64 in elements. Low-bit weights use the i2 layout with
// 64-weight blocks (#tern.layout<i2, block = 64>): row n is rowBytes bytes,
// 16 per block, and word w of a block shifted right by 2s holds, in its four
// bytes, the codes (weight + 1) of weights 16s + 4w .. 16s + 4w + 3. Masked with
// 0x03030303 it is the unsigned byte vector that dp4a and mma.sync multiply
// with four consecutive int8 activations; the code's +1 is taken back by
// subtracting the row's activation sum (qsum).
//
// Only what NVPTX lowers without CUDA's libdevice is used: square roots and
// rounding are PTX instructions (sqrt.rn, cvt.rni), and the approximate
// ex2/sin/cos only where their error is far below the float tolerance.

gpu.module @tern_kernels {
  // A tern::RuntimeError code kernels report (0: none); the runtime reads
  // and clears it after every call. Host code reports through the host's
  // __tern_error as on CPUs.
  llvm.mlir.global external @__tern_error(0 : i32) {addr_space = 1 : i32} : i32

  // ---------------------------------------------------------------------
  // Rows of activations to int8: tern.quantize, optionally after RMSNorm.
  //   [norm]  inv = 1 / sqrt(sum_k x^2 / K + normEps); v = (x * inv) * g[k]
  //           (v = x when g is null; g is f32, bf16 or f16 as gtype says,
  //           see tern_load_weight)
  //   m = max(max_k |v|, quantEps); xs = m / 127
  //   q[k] = clamp(round_half_even(v * (127 / m)), -128, 127), 0 for K <= k < kp
  //   qsum = sum_k q[k]
  // Grid: one block per row. Block: any multiple of 32 threads.
  // ---------------------------------------------------------------------
  gpu.func @tern_quantize(%x: !llvm.ptr, %ldx: i64, %k: i64, %g: !llvm.ptr,
                          %gtype: i64, %normEps: f32, %quantEps: f32, %q: !llvm.ptr,
                          %ldq: i64, %kp: i64, %xs: !llvm.ptr,
                          %qsum: !llvm.ptr) kernel {
    %tidx = gpu.thread_id x
    %bdimx = gpu.block_dim x
    %rowx = gpu.block_id x
    %tid = arith.index_cast %tidx : index to i64
    %bdim = arith.index_cast %bdimx : index to i64
    %row = arith.index_cast %rowx : index to i64
    %c0 = arith.constant 0 : i64
    %zero = arith.constant 0.0 : f32
    %one = arith.constant 1.0 : f32
    %xoff = arith.muli %row, %ldx : i64
    %xrow = llvm.getelementptr %x[%xoff] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %null = llvm.mlir.zero : !llvm.ptr
    %hasNorm = llvm.icmp "ne" %g, %null : !llvm.ptr
    %inv = scf.if %hasNorm -> (f32) {
      %ss = scf.for %i = %tid to %k step %bdim iter_args(%acc = %zero) -> (f32) : i64 {
        %p = llvm.getelementptr %xrow[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        %v = llvm.load %p : !llvm.ptr -> f32
        %sq = arith.mulf %v, %v : f32
        %a = arith.addf %acc, %sq : f32
        scf.yield %a : f32
      }
      %sum = gpu.all_reduce add %ss uniform {} : (f32) -> (f32)
      %kf = arith.sitofp %k : i64 to f32
      %mean = arith.divf %sum, %kf : f32
      %me = arith.addf %mean, %normEps : f32
      %root = llvm.inline_asm "sqrt.rn.f32 $0, $1;", "=f,f" %me : (f32) -> f32
      %r = arith.divf %one, %root : f32
      scf.yield %r : f32
    } else {
      scf.yield %one : f32
    }
    %absmax = scf.for %i = %tid to %k step %bdim iter_args(%acc = %zero) -> (f32) : i64 {
      %v = func.call @tern_norm_value(%xrow, %g, %gtype, %hasNorm, %inv, %i) : (!llvm.ptr, !llvm.ptr, i64, i1, f32, i64) -> f32
      %a = llvm.inline_asm "abs.f32 $0, $1;", "=f,f" %v : (f32) -> f32
      %m = arith.maximumf %acc, %a : f32
      scf.yield %m : f32
    }
    %rowmax = gpu.all_reduce maximumf %absmax uniform {} : (f32) -> (f32)
    %m = arith.maximumf %rowmax, %quantEps : f32
    %c127 = arith.constant 127.0 : f32
    %cm128 = arith.constant -128.0 : f32
    %mult = arith.divf %c127, %m : f32
    %first = arith.cmpi eq, %tid, %c0 : i64
    scf.if %first {
      %s = arith.divf %m, %c127 : f32
      %sp = llvm.getelementptr %xs[%row] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      llvm.store %s, %sp : f32, !llvm.ptr
    }
    %qoff = arith.muli %row, %ldq : i64
    %qrow = llvm.getelementptr %q[%qoff] : (!llvm.ptr, i64) -> !llvm.ptr, i8
    %zi = arith.constant 0 : i32
    %partial = scf.for %i = %tid to %kp step %bdim iter_args(%acc = %zi) -> (i32) : i64 {
      %inside = arith.cmpi slt, %i, %k : i64
      %qv = scf.if %inside -> (i32) {
        %v = func.call @tern_norm_value(%xrow, %g, %gtype, %hasNorm, %inv, %i) : (!llvm.ptr, !llvm.ptr, i64, i1, f32, i64) -> f32
        %scaled = arith.mulf %v, %mult : f32
        %r = llvm.inline_asm "cvt.rni.f32.f32 $0, $1;", "=f,f" %scaled : (f32) -> f32
        %lo = arith.maximumf %r, %cm128 : f32
        %hi = arith.minimumf %lo, %c127 : f32
        %qi = arith.fptosi %hi : f32 to i32
        scf.yield %qi : i32
      } else {
        scf.yield %zi : i32
      }
      %q8 = arith.trunci %qv : i32 to i8
      %p = llvm.getelementptr %qrow[%i] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      llvm.store %q8, %p : i8, !llvm.ptr
      %a = arith.addi %acc, %qv : i32
      scf.yield %a : i32
    }
    %total = gpu.all_reduce add %partial uniform {} : (i32) -> (i32)
    scf.if %first {
      %sp = llvm.getelementptr %qsum[%row] : (!llvm.ptr, i64) -> !llvm.ptr, i32
      llvm.store %total, %sp : i32, !llvm.ptr
    }
    gpu.return
  }

  // v = x[i] * inv * g[i] (RMSNorm), or x[i] when there is no norm.
  func.func private @tern_norm_value(%xrow: !llvm.ptr, %g: !llvm.ptr, %gtype: i64,
                                     %hasNorm: i1, %inv: f32, %i: i64) -> f32 {
    %p = llvm.getelementptr %xrow[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %x = llvm.load %p : !llvm.ptr -> f32
    %v = scf.if %hasNorm -> (f32) {
      %n = arith.mulf %x, %inv : f32
      %gv = func.call @tern_load_weight(%g, %i, %gtype) : (!llvm.ptr, i64, i64) -> f32
      %r = arith.mulf %n, %gv : f32
      scf.yield %r : f32
    } else {
      scf.yield %x : f32
    }
    return %v : f32
  }

  // ---------------------------------------------------------------------
  // RMSNorm to f32: y[k] = (x[k] * inv) * g[k], inv as in tern_quantize.
  // Grid: one block per row.
  // ---------------------------------------------------------------------
  gpu.func @tern_rms_norm(%x: !llvm.ptr, %ldx: i64, %k: i64, %g: !llvm.ptr,
                          %gtype: i64, %eps: f32, %y: !llvm.ptr, %ldy: i64) kernel {
    %tidx = gpu.thread_id x
    %bdimx = gpu.block_dim x
    %rowx = gpu.block_id x
    %tid = arith.index_cast %tidx : index to i64
    %bdim = arith.index_cast %bdimx : index to i64
    %row = arith.index_cast %rowx : index to i64
    %zero = arith.constant 0.0 : f32
    %one = arith.constant 1.0 : f32
    %xoff = arith.muli %row, %ldx : i64
    %xrow = llvm.getelementptr %x[%xoff] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %yoff = arith.muli %row, %ldy : i64
    %yrow = llvm.getelementptr %y[%yoff] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %ss = scf.for %i = %tid to %k step %bdim iter_args(%acc = %zero) -> (f32) : i64 {
      %p = llvm.getelementptr %xrow[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %v = llvm.load %p : !llvm.ptr -> f32
      %sq = arith.mulf %v, %v : f32
      %a = arith.addf %acc, %sq : f32
      scf.yield %a : f32
    }
    %sum = gpu.all_reduce add %ss uniform {} : (f32) -> (f32)
    %kf = arith.sitofp %k : i64 to f32
    %mean = arith.divf %sum, %kf : f32
    %me = arith.addf %mean, %eps : f32
    %root = llvm.inline_asm "sqrt.rn.f32 $0, $1;", "=f,f" %me : (f32) -> f32
    %inv = arith.divf %one, %root : f32
    %true = arith.constant true
    scf.for %i = %tid to %k step %bdim : i64 {
      %v = func.call @tern_norm_value(%xrow, %g, %gtype, %true, %inv, %i) : (!llvm.ptr, !llvm.ptr, i64, i1, f32, i64) -> f32
      %p = llvm.getelementptr %yrow[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      llvm.store %v, %p : f32, !llvm.ptr
    }
    gpu.return
  }

  // y = f32(acc - qsum[m]) * xs[m] * ws[n * wsStride] (+ bias[n] when bias
  // is not null, + res[m * ldr + n] when res is not null), stored at
  // y[m * ldy + n]: every low-bit product's epilogue.
  func.func private @tern_store_product(%acc: i32, %m: i64, %n: i64,
                                        %qsum: !llvm.ptr, %xs: !llvm.ptr,
                                        %ws: !llvm.ptr, %wsStride: i64,
                                        %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64, %y: !llvm.ptr,
                                        %ldy: i64) {
    %qsp = llvm.getelementptr %qsum[%m] : (!llvm.ptr, i64) -> !llvm.ptr, i32
    %qs = llvm.load %qsp : !llvm.ptr -> i32
    %exact = arith.subi %acc, %qs : i32
    %f = arith.sitofp %exact : i32 to f32
    %xsp = llvm.getelementptr %xs[%m] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %xsv = llvm.load %xsp : !llvm.ptr -> f32
    %wi = arith.muli %n, %wsStride : i64
    %wsp = llvm.getelementptr %ws[%wi] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %wsv = llvm.load %wsp : !llvm.ptr -> f32
    %a = arith.mulf %f, %xsv : f32
    %b = arith.mulf %a, %wsv : f32
    %null = llvm.mlir.zero : !llvm.ptr
    %hasBias = llvm.icmp "ne" %bias, %null : !llvm.ptr
    %rb = scf.if %hasBias -> (f32) {
      %bp = llvm.getelementptr %bias[%n] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %bv = llvm.load %bp : !llvm.ptr -> f32
      %s = arith.addf %b, %bv : f32
      scf.yield %s : f32
    } else {
      scf.yield %b : f32
    }
    %r = func.call @tern_add_residual(%rb, %m, %n, %res, %ldr) : (f32, i64, i64, !llvm.ptr, i64) -> f32
    %yi = arith.muli %m, %ldy : i64
    %yj = arith.addi %yi, %n : i64
    %yp = llvm.getelementptr %y[%yj] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %r, %yp : f32, !llvm.ptr
    return
  }

  // ---------------------------------------------------------------------
  // Low-bit matrix-vector product for decode: one warp per weight row, each
  // lane streaming 16-byte blocks (64 weights) with 128-bit loads, 16 dp4a
  // per block against four 16-byte activation loads; a warp reduction and
  // tern_store_product finish the row.
  // Grid: (ceil(N / 8), M). Block: 256 threads (8 rows).
  // ---------------------------------------------------------------------
  gpu.func @tern_gemv_i2(%q: !llvm.ptr, %ldq: i64, %qsum: !llvm.ptr,
                         %xs: !llvm.ptr, %w: !llvm.ptr, %rowBytes: i64,
                         %ws: !llvm.ptr, %wsStride: i64, %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64,
                         %y: !llvm.ptr, %ldy: i64, %n: i64) kernel {
    %tidx = gpu.thread_id x
    %bidx = gpu.block_id x
    %mx = gpu.block_id y
    %tid = arith.index_cast %tidx : index to i64
    %bid = arith.index_cast %bidx : index to i64
    %m = arith.index_cast %mx : index to i64
    %c0 = arith.constant 0 : i64
    %c4 = arith.constant 4 : i64
    %c8 = arith.constant 8 : i64
    %c16 = arith.constant 16 : i64
    %c32 = arith.constant 32 : i64
    %c64 = arith.constant 64 : i64
    %warp = arith.divui %tid, %c32 : i64
    %lane = arith.remui %tid, %c32 : i64
    %rowBase = arith.muli %bid, %c8 : i64
    %row = arith.addi %rowBase, %warp : i64
    %inRange = arith.cmpi slt, %row, %n : i64
    scf.if %inRange {
      %blocks = arith.divui %rowBytes, %c16 : i64
      %woff = arith.muli %row, %rowBytes : i64
      %wrow = llvm.getelementptr %w[%woff] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %qoff = arith.muli %m, %ldq : i64
      %qrow = llvm.getelementptr %q[%qoff] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %mask = arith.constant 0x03030303 : i32
      %zi = arith.constant 0 : i32
      %acc = scf.for %blk = %lane to %blocks step %c32 iter_args(%sum = %zi) -> (i32) : i64 {
        %wo = arith.muli %blk, %c16 : i64
        %wp = llvm.getelementptr %wrow[%wo] : (!llvm.ptr, i64) -> !llvm.ptr, i8
        %wv = llvm.load %wp {alignment = 16 : i64} : !llvm.ptr -> vector<4xi32>
        %ao = arith.muli %blk, %c64 : i64
        %ap = llvm.getelementptr %qrow[%ao] : (!llvm.ptr, i64) -> !llvm.ptr, i8
        %s0 = func.call @tern_dot64(%wv, %ap, %mask, %sum) : (vector<4xi32>, !llvm.ptr, i32, i32) -> i32
        scf.yield %s0 : i32
      }
      %r = func.call @tern_warp_sum(%acc) : (i32) -> i32
      %first = arith.cmpi eq, %lane, %c0 : i64
      scf.if %first {
        func.call @tern_store_product(%r, %m, %row, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (i32, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
      }
    }
    gpu.return
  }

  // sum + the dot product of one 64-weight block (16 bytes of codes in `wv`)
  // with the 64 int8 activations at `a` (16-byte aligned).
  func.func private @tern_dot64(%wv: vector<4xi32>, %a: !llvm.ptr, %mask: i32,
                                %sum: i32) -> i32 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : i64
    %c2 = arith.constant 2 : i32
    %acc = scf.for %s = %c0 to %c4 step %c1 iter_args(%acc0 = %sum) -> (i32) {
      %si = arith.index_cast %s : index to i64
      %off = arith.muli %si, %c16 : i64
      %p = llvm.getelementptr %a[%off] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %av = llvm.load %p {alignment = 16 : i64} : !llvm.ptr -> vector<4xi32>
      %s32 = arith.index_cast %s : index to i32
      %shift = arith.muli %s32, %c2 : i32
      %inner = scf.for %word = %c0 to %c4 step %c1 iter_args(%acc1 = %acc0) -> (i32) {
        %wword = vector.extract %wv[%word] : i32 from vector<4xi32>
        %shifted = arith.shrui %wword, %shift : i32
        %codes = arith.andi %shifted, %mask : i32
        %aword = vector.extract %av[%word] : i32 from vector<4xi32>
        %cb = llvm.bitcast %codes : i32 to vector<4xi8>
        %ab = llvm.bitcast %aword : i32 to vector<4xi8>
        %d = nvvm.dot.accumulate.4way %ab <signed>, %cb <unsigned>, %acc1 : vector<4xi8>, vector<4xi8>
        scf.yield %d : i32
      }
      scf.yield %inner : i32
    }
    return %acc : i32
  }

  // The sum of `v` over the 32 lanes of a warp, in every lane.
  func.func private @tern_warp_sum(%v: i32) -> i32 {
    %width = arith.constant 32 : i32
    %c16 = arith.constant 16 : i32
    %c8 = arith.constant 8 : i32
    %c4 = arith.constant 4 : i32
    %c2 = arith.constant 2 : i32
    %c1 = arith.constant 1 : i32
    %o16, %v16 = gpu.shuffle xor %v, %c16, %width : i32
    %s16 = arith.addi %v, %o16 : i32
    %o8, %v8 = gpu.shuffle xor %s16, %c8, %width : i32
    %s8 = arith.addi %s16, %o8 : i32
    %o4, %v4 = gpu.shuffle xor %s8, %c4, %width : i32
    %s4 = arith.addi %s8, %o4 : i32
    %o2, %v2 = gpu.shuffle xor %s4, %c2, %width : i32
    %s2 = arith.addi %s4, %o2 : i32
    %o1, %v1 = gpu.shuffle xor %s2, %c1, %width : i32
    %s1 = arith.addi %s2, %o1 : i32
    return %s1 : i32
  }

  // ---------------------------------------------------------------------
  // Low-bit matrix product for prefill on the tensor cores: each warp
  // computes a 16 x 32 tile of y with mma.sync m16n8k32 (int8 activations
  // times unsigned 2-bit codes, exact int32 sums), a 64-weight block (two
  // k-steps) per iteration. In the fragment layouts (PTX ISA, mma.m16n8k32)
  // lane (g = lane / 4, t = lane % 4) holds activations k = 4t .. 4t + 3 and
  // 16 + 4t .. of rows g and g + 8, and weights k = 4t .. and 16 + 4t .. of
  // column g: word t of the column's block, shifted by 0 and 2 (first k-step)
  // or 4 and 6 (second).
  // Grid: (ceil(N / 128), ceil(M / 16)). Block: 128 threads (4 warps).
  // ---------------------------------------------------------------------
  gpu.func @tern_gemm_i2(%q: !llvm.ptr, %ldq: i64, %qsum: !llvm.ptr,
                         %xs: !llvm.ptr, %w: !llvm.ptr, %rowBytes: i64,
                         %ws: !llvm.ptr, %wsStride: i64, %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64,
                         %y: !llvm.ptr, %ldy: i64, %mRows: i64, %n: i64) kernel {
    %tidx = gpu.thread_id x
    %bidx = gpu.block_id x
    %bidy = gpu.block_id y
    %tid = arith.index_cast %tidx : index to i64
    %bx = arith.index_cast %bidx : index to i64
    %by = arith.index_cast %bidy : index to i64
    %c0 = arith.constant 0 : i64
    %c1 = arith.constant 1 : i64
    %c2 = arith.constant 2 : i64
    %c3 = arith.constant 3 : i64
    %c4 = arith.constant 4 : i64
    %c8 = arith.constant 8 : i64
    %c16 = arith.constant 16 : i64
    %c24 = arith.constant 24 : i64
    %c32 = arith.constant 32 : i64
    %c64 = arith.constant 64 : i64
    %c128 = arith.constant 128 : i64
    %warp = arith.divui %tid, %c32 : i64
    %lane = arith.remui %tid, %c32 : i64
    %g = arith.divui %lane, %c4 : i64
    %t = arith.remui %lane, %c4 : i64
    %m0 = arith.muli %by, %c16 : i64
    %nb = arith.muli %bx, %c128 : i64
    %nw = arith.muli %warp, %c32 : i64
    %n0 = arith.addi %nb, %nw : i64
    %blocks = arith.divui %rowBytes, %c16 : i64
    %mA = arith.addi %m0, %g : i64
    %mB = arith.addi %mA, %c8 : i64
    %zi = arith.constant 0 : i32
    %zero = llvm.mlir.undef : !llvm.struct<(i32, i32, i32, i32)>
    %z0 = llvm.insertvalue %zi, %zero[0] : !llvm.struct<(i32, i32, i32, i32)>
    %z1 = llvm.insertvalue %zi, %z0[1] : !llvm.struct<(i32, i32, i32, i32)>
    %z2 = llvm.insertvalue %zi, %z1[2] : !llvm.struct<(i32, i32, i32, i32)>
    %z = llvm.insertvalue %zi, %z2[3] : !llvm.struct<(i32, i32, i32, i32)>
    %t4 = arith.muli %t, %c4 : i64
    %nA = arith.addi %n0, %g : i64
    %n8 = arith.addi %nA, %c8 : i64
    %n16 = arith.addi %nA, %c16 : i64
    %n24 = arith.addi %nA, %c24 : i64
    %acc:4 = scf.for %blk = %c0 to %blocks step %c1
        iter_args(%a0 = %z, %a1 = %z, %a2 = %z, %a3 = %z)
        -> (!llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>,
            !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>) : i64 {
      %k64 = arith.muli %blk, %c64 : i64
      %k0 = arith.addi %k64, %t4 : i64
      %x0 = func.call @tern_load_act(%q, %ldq, %mA, %mRows, %k0) : (!llvm.ptr, i64, i64, i64, i64) -> i32
      %x1 = func.call @tern_load_act(%q, %ldq, %mB, %mRows, %k0) : (!llvm.ptr, i64, i64, i64, i64) -> i32
      %k1 = arith.addi %k0, %c16 : i64
      %x2 = func.call @tern_load_act(%q, %ldq, %mA, %mRows, %k1) : (!llvm.ptr, i64, i64, i64, i64) -> i32
      %x3 = func.call @tern_load_act(%q, %ldq, %mB, %mRows, %k1) : (!llvm.ptr, i64, i64, i64, i64) -> i32
      %k2 = arith.addi %k0, %c32 : i64
      %x4 = func.call @tern_load_act(%q, %ldq, %mA, %mRows, %k2) : (!llvm.ptr, i64, i64, i64, i64) -> i32
      %x5 = func.call @tern_load_act(%q, %ldq, %mB, %mRows, %k2) : (!llvm.ptr, i64, i64, i64, i64) -> i32
      %k3 = arith.addi %k2, %c16 : i64
      %x6 = func.call @tern_load_act(%q, %ldq, %mA, %mRows, %k3) : (!llvm.ptr, i64, i64, i64, i64) -> i32
      %x7 = func.call @tern_load_act(%q, %ldq, %mB, %mRows, %k3) : (!llvm.ptr, i64, i64, i64, i64) -> i32
      %r0 = func.call @tern_mma_block(%w, %rowBytes, %nA, %n, %blk, %t, %x0, %x1, %x2, %x3, %x4, %x5, %x6, %x7, %a0) : (!llvm.ptr, i64, i64, i64, i64, i64, i32, i32, i32, i32, i32, i32, i32, i32, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
      %r1 = func.call @tern_mma_block(%w, %rowBytes, %n8, %n, %blk, %t, %x0, %x1, %x2, %x3, %x4, %x5, %x6, %x7, %a1) : (!llvm.ptr, i64, i64, i64, i64, i64, i32, i32, i32, i32, i32, i32, i32, i32, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
      %r2 = func.call @tern_mma_block(%w, %rowBytes, %n16, %n, %blk, %t, %x0, %x1, %x2, %x3, %x4, %x5, %x6, %x7, %a2) : (!llvm.ptr, i64, i64, i64, i64, i64, i32, i32, i32, i32, i32, i32, i32, i32, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
      %r3 = func.call @tern_mma_block(%w, %rowBytes, %n24, %n, %blk, %t, %x0, %x1, %x2, %x3, %x4, %x5, %x6, %x7, %a3) : (!llvm.ptr, i64, i64, i64, i64, i64, i32, i32, i32, i32, i32, i32, i32, i32, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
      scf.yield %r0, %r1, %r2, %r3 : !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>
    }
    %t2 = arith.muli %t, %c2 : i64
    %col0 = arith.addi %n0, %t2 : i64
    func.call @tern_store_tile(%acc#0, %mA, %mB, %mRows, %col0, %n, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (!llvm.struct<(i32, i32, i32, i32)>, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    %col1 = arith.addi %col0, %c8 : i64
    func.call @tern_store_tile(%acc#1, %mA, %mB, %mRows, %col1, %n, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (!llvm.struct<(i32, i32, i32, i32)>, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    %col2 = arith.addi %col0, %c16 : i64
    func.call @tern_store_tile(%acc#2, %mA, %mB, %mRows, %col2, %n, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (!llvm.struct<(i32, i32, i32, i32)>, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    %col3 = arith.addi %col0, %c24 : i64
    func.call @tern_store_tile(%acc#3, %mA, %mB, %mRows, %col3, %n, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (!llvm.struct<(i32, i32, i32, i32)>, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    gpu.return
  }

  // Four int8 activations of row m at column k (0 past the last row).
  func.func private @tern_load_act(%q: !llvm.ptr, %ldq: i64, %m: i64,
                                   %rows: i64, %k: i64) -> i32 {
    %inside = arith.cmpi slt, %m, %rows : i64
    %v = scf.if %inside -> (i32) {
      %o = arith.muli %m, %ldq : i64
      %i = arith.addi %o, %k : i64
      %p = llvm.getelementptr %q[%i] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %x = llvm.load %p {alignment = 4 : i64} : !llvm.ptr -> i32
      scf.yield %x : i32
    } else {
      %z = arith.constant 0 : i32
      scf.yield %z : i32
    }
    return %v : i32
  }

  // acc + the two m16n8k32 products of one 64-weight block of columns
  // col .. (this lane's column; codes 0 past the last row of weights).
  func.func private @tern_mma_block(%w: !llvm.ptr, %rowBytes: i64, %col: i64,
      %n: i64, %blk: i64, %t: i64, %x0: i32, %x1: i32, %x2: i32, %x3: i32,
      %x4: i32, %x5: i32, %x6: i32, %x7: i32,
      %acc: !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)> {
    %c4 = arith.constant 4 : i64
    %c16 = arith.constant 16 : i64
    %inside = arith.cmpi slt, %col, %n : i64
    %word = scf.if %inside -> (i32) {
      %ro = arith.muli %col, %rowBytes : i64
      %bo = arith.muli %blk, %c16 : i64
      %to = arith.muli %t, %c4 : i64
      %o1 = arith.addi %ro, %bo : i64
      %o = arith.addi %o1, %to : i64
      %p = llvm.getelementptr %w[%o] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %v = llvm.load %p {alignment = 4 : i64} : !llvm.ptr -> i32
      scf.yield %v : i32
    } else {
      %ones = arith.constant 0x55555555 : i32
      scf.yield %ones : i32
    }
    %mask = arith.constant 0x03030303 : i32
    %s2 = arith.constant 2 : i32
    %s4 = arith.constant 4 : i32
    %s6 = arith.constant 6 : i32
    %b0 = arith.andi %word, %mask : i32
    %w2 = arith.shrui %word, %s2 : i32
    %b1 = arith.andi %w2, %mask : i32
    %w4 = arith.shrui %word, %s4 : i32
    %b2 = arith.andi %w4, %mask : i32
    %w6 = arith.shrui %word, %s6 : i32
    %b3 = arith.andi %w6, %mask : i32
    %c0v = llvm.extractvalue %acc[0] : !llvm.struct<(i32, i32, i32, i32)>
    %c1v = llvm.extractvalue %acc[1] : !llvm.struct<(i32, i32, i32, i32)>
    %c2v = llvm.extractvalue %acc[2] : !llvm.struct<(i32, i32, i32, i32)>
    %c3v = llvm.extractvalue %acc[3] : !llvm.struct<(i32, i32, i32, i32)>
    %p0 = nvvm.mma.sync A[%x0, %x1, %x2, %x3] B[%b0, %b1] C[%c0v, %c1v, %c2v, %c3v]
      {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
       multiplicandAPtxType = #nvvm.mma_type<s8>, multiplicandBPtxType = #nvvm.mma_type<u8>,
       intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>,
       shape = #nvvm.shape<m = 16, n = 8, k = 32>} : (i32, i32, i32) -> !llvm.struct<(i32, i32, i32, i32)>
    %d0 = llvm.extractvalue %p0[0] : !llvm.struct<(i32, i32, i32, i32)>
    %d1 = llvm.extractvalue %p0[1] : !llvm.struct<(i32, i32, i32, i32)>
    %d2 = llvm.extractvalue %p0[2] : !llvm.struct<(i32, i32, i32, i32)>
    %d3 = llvm.extractvalue %p0[3] : !llvm.struct<(i32, i32, i32, i32)>
    %p1 = nvvm.mma.sync A[%x4, %x5, %x6, %x7] B[%b2, %b3] C[%d0, %d1, %d2, %d3]
      {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
       multiplicandAPtxType = #nvvm.mma_type<s8>, multiplicandBPtxType = #nvvm.mma_type<u8>,
       intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>,
       shape = #nvvm.shape<m = 16, n = 8, k = 32>} : (i32, i32, i32) -> !llvm.struct<(i32, i32, i32, i32)>
    return %p1 : !llvm.struct<(i32, i32, i32, i32)>
  }

  // Stores an m16n8 accumulator tile: c0, c1 at row mA, columns col, col + 1;
  // c2, c3 at row mB (rows >= rows and columns >= n are skipped).
  func.func private @tern_store_tile(%acc: !llvm.struct<(i32, i32, i32, i32)>,
      %mA: i64, %mB: i64, %rows: i64, %col: i64, %n: i64, %qsum: !llvm.ptr,
      %xs: !llvm.ptr, %ws: !llvm.ptr, %wsStride: i64, %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64,
      %y: !llvm.ptr, %ldy: i64) {
    %c1 = arith.constant 1 : i64
    %col1 = arith.addi %col, %c1 : i64
    %v0 = llvm.extractvalue %acc[0] : !llvm.struct<(i32, i32, i32, i32)>
    %v1 = llvm.extractvalue %acc[1] : !llvm.struct<(i32, i32, i32, i32)>
    %v2 = llvm.extractvalue %acc[2] : !llvm.struct<(i32, i32, i32, i32)>
    %v3 = llvm.extractvalue %acc[3] : !llvm.struct<(i32, i32, i32, i32)>
    func.call @tern_store_checked(%v0, %mA, %col, %rows, %n, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (i32, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_checked(%v1, %mA, %col1, %rows, %n, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (i32, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_checked(%v2, %mB, %col, %rows, %n, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (i32, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_checked(%v3, %mB, %col1, %rows, %n, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (i32, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    return
  }

  func.func private @tern_store_checked(%acc: i32, %m: i64, %col: i64,
      %rows: i64, %n: i64, %qsum: !llvm.ptr, %xs: !llvm.ptr, %ws: !llvm.ptr,
      %wsStride: i64, %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64, %y: !llvm.ptr, %ldy: i64) {
    %mIn = arith.cmpi slt, %m, %rows : i64
    %nIn = arith.cmpi slt, %col, %n : i64
    %in = arith.andi %mIn, %nIn : i1
    scf.if %in {
      func.call @tern_store_product(%acc, %m, %col, %qsum, %xs, %ws, %wsStride, %bias, %res, %ldr, %y, %ldy) : (i32, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    }
    return
  }


  // ---------------------------------------------------------------------
  // Rotary embedding (tern.rope): one thread per rotated pair of
  // x[t, h, :] (token stride ldt, head stride ldh), written to y
  // ([T, H, D], contiguous). The angle a = f32(pos[t]) * invFreq[i] is
  // reduced to [-pi, pi] with a two-part 2*pi (exact for |a| < 2^16 * 2pi)
  // before the approximate sin/cos (absolute error < 2^-20.9 there).
  // posBytes is 4 or 8 (i32 or i64 positions); interleaved pairs are
  // (2i, 2i + 1), else (i, i + D/2).
  // Grid x block: at least T * H * D/2 threads.
  // ---------------------------------------------------------------------
  gpu.func @tern_rope(%x: !llvm.ptr, %ldt: i64, %ldh: i64, %pos: !llvm.ptr,
                      %posBytes: i64, %invFreq: !llvm.ptr, %y: !llvm.ptr,
                      %tokens: i64, %heads: i64, %dim: i64,
                      %interleaved: i64) kernel {
    %tidx = gpu.thread_id x
    %bidx = gpu.block_id x
    %bdimx = gpu.block_dim x
    %tid = arith.index_cast %tidx : index to i64
    %bid = arith.index_cast %bidx : index to i64
    %bdim = arith.index_cast %bdimx : index to i64
    %c0 = arith.constant 0 : i64
    %c1 = arith.constant 1 : i64
    %c2 = arith.constant 2 : i64
    %c4 = arith.constant 4 : i64
    %base = arith.muli %bid, %bdim : i64
    %idx = arith.addi %base, %tid : i64
    %half = arith.divui %dim, %c2 : i64
    %th0 = arith.muli %tokens, %heads : i64
    %total = arith.muli %th0, %half : i64
    %inRange = arith.cmpi slt, %idx, %total : i64
    scf.if %inRange {
      %i = arith.remui %idx, %half : i64
      %th = arith.divui %idx, %half : i64
      %h = arith.remui %th, %heads : i64
      %t = arith.divui %th, %heads : i64
      %is32 = arith.cmpi eq, %posBytes, %c4 : i64
      %p = scf.if %is32 -> (i64) {
        %pp = llvm.getelementptr %pos[%t] : (!llvm.ptr, i64) -> !llvm.ptr, i32
        %v = llvm.load %pp : !llvm.ptr -> i32
        %e = arith.extsi %v : i32 to i64
        scf.yield %e : i64
      } else {
        %pp = llvm.getelementptr %pos[%t] : (!llvm.ptr, i64) -> !llvm.ptr, i64
        %v = llvm.load %pp : !llvm.ptr -> i64
        scf.yield %v : i64
      }
      %pf = arith.sitofp %p : i64 to f32
      %fp = llvm.getelementptr %invFreq[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %f = llvm.load %fp : !llvm.ptr -> f32
      %a = arith.mulf %pf, %f : f32
      %inv2pi = arith.constant 0.159154943091895335768 : f32
      %turns = arith.mulf %a, %inv2pi : f32
      %k = llvm.inline_asm "cvt.rni.f32.f32 $0, $1;", "=f,f" %turns : (f32) -> f32
      %nk = arith.negf %k : f32
      %hi = arith.constant 6.28125 : f32
      %lo = arith.constant 0.00193530717958647692 : f32
      %r1 = llvm.inline_asm "fma.rn.f32 $0, $1, $2, $3;", "=f,f,f,f" %nk, %hi, %a : (f32, f32, f32) -> f32
      %r = llvm.inline_asm "fma.rn.f32 $0, $1, $2, $3;", "=f,f,f,f" %nk, %lo, %r1 : (f32, f32, f32) -> f32
      %cos = llvm.inline_asm "cos.approx.f32 $0, $1;", "=f,f" %r : (f32) -> f32
      %sin = llvm.inline_asm "sin.approx.f32 $0, $1;", "=f,f" %r : (f32) -> f32
      %isInter = arith.cmpi ne, %interleaved, %c0 : i64
      %i2 = arith.muli %i, %c2 : i64
      %i2p = arith.addi %i2, %c1 : i64
      %ih = arith.addi %i, %half : i64
      %d0 = arith.select %isInter, %i2, %i : i64
      %d1 = arith.select %isInter, %i2p, %ih : i64
      %to = arith.muli %t, %ldt : i64
      %ho = arith.muli %h, %ldh : i64
      %xo = arith.addi %to, %ho : i64
      %xrow = llvm.getelementptr %x[%xo] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %p0 = llvm.getelementptr %xrow[%d0] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %p1 = llvm.getelementptr %xrow[%d1] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %x0 = llvm.load %p0 : !llvm.ptr -> f32
      %x1 = llvm.load %p1 : !llvm.ptr -> f32
      %x0c = arith.mulf %x0, %cos : f32
      %x1s = arith.mulf %x1, %sin : f32
      %y0 = arith.subf %x0c, %x1s : f32
      %x1c = arith.mulf %x1, %cos : f32
      %x0s = arith.mulf %x0, %sin : f32
      %y1 = arith.addf %x1c, %x0s : f32
      %yo = arith.muli %th, %dim : i64
      %yrow = llvm.getelementptr %y[%yo] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %q0 = llvm.getelementptr %yrow[%d0] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %q1 = llvm.getelementptr %yrow[%d1] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      llvm.store %y0, %q0 : f32, !llvm.ptr
      llvm.store %y1, %q1 : f32, !llvm.ptr
    }
    gpu.return
  }

  // ---------------------------------------------------------------------
  // Float linear layer (tern.linear): y[m, n] = sum_k x[m, k] * f32(w[n, k]),
  // times scale[n] for int8 weights. One warp per weight row; its lanes
  // read the row coalesced, once per activation row. wtype: 0 f32, 1 bf16,
  // 2 f16, 3 i8 (then scale is a per-row f32 vector).
  // Grid: ceil(N / 8). Block: 256 threads.
  // ---------------------------------------------------------------------
  gpu.func @tern_linear(%x: !llvm.ptr, %ldx: i64, %w: !llvm.ptr, %ldw: i64,
                        %wtype: i64, %scale: !llvm.ptr, %y: !llvm.ptr,
                        %ldy: i64, %mRows: i64, %n: i64, %k: i64) kernel {
    %tidx = gpu.thread_id x
    %bidx = gpu.block_id x
    %tid = arith.index_cast %tidx : index to i64
    %bid = arith.index_cast %bidx : index to i64
    %c0 = arith.constant 0 : i64
    %c1 = arith.constant 1 : i64
    %c8 = arith.constant 8 : i64
    %c32 = arith.constant 32 : i64
    %warp = arith.divui %tid, %c32 : i64
    %lane = arith.remui %tid, %c32 : i64
    %rowBase = arith.muli %bid, %c8 : i64
    %row = arith.addi %rowBase, %warp : i64
    %inRange = arith.cmpi slt, %row, %n : i64
    scf.if %inRange {
      %wo = arith.muli %row, %ldw : i64
      %zero = arith.constant 0.0 : f32
      %c3 = arith.constant 3 : i64
      %isInt = arith.cmpi eq, %wtype, %c3 : i64
      %rowScale = scf.if %isInt -> (f32) {
        %sp = llvm.getelementptr %scale[%row] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        %s = llvm.load %sp : !llvm.ptr -> f32
        scf.yield %s : f32
      } else {
        %one = arith.constant 1.0 : f32
        scf.yield %one : f32
      }
      scf.for %m = %c0 to %mRows step %c1 : i64 {
        %xo = arith.muli %m, %ldx : i64
        %xrow = llvm.getelementptr %x[%xo] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        %partial = scf.for %kk = %lane to %k step %c32 iter_args(%acc = %zero) -> (f32) : i64 {
          %xp = llvm.getelementptr %xrow[%kk] : (!llvm.ptr, i64) -> !llvm.ptr, f32
          %xv = llvm.load %xp : !llvm.ptr -> f32
          %wi = arith.addi %wo, %kk : i64
          %wv = func.call @tern_load_weight(%w, %wi, %wtype) : (!llvm.ptr, i64, i64) -> f32
          %prod = arith.mulf %xv, %wv : f32
          %a = arith.addf %acc, %prod : f32
          scf.yield %a : f32
        }
        %sum = func.call @tern_warp_sum_f32(%partial) : (f32) -> f32
        %first = arith.cmpi eq, %lane, %c0 : i64
        scf.if %first {
          %r = arith.mulf %sum, %rowScale : f32
          %yo = arith.muli %m, %ldy : i64
          %yi = arith.addi %yo, %row : i64
          %yp = llvm.getelementptr %y[%yi] : (!llvm.ptr, i64) -> !llvm.ptr, f32
          llvm.store %r, %yp : f32, !llvm.ptr
        }
      }
    }
    gpu.return
  }

  // Element i of a float or int8 weight buffer, widened exactly to f32.
  func.func private @tern_load_weight(%w: !llvm.ptr, %i: i64, %wtype: i64) -> f32 {
    %t = arith.index_cast %wtype : i64 to index
    %v = scf.index_switch %t -> f32
    case 0 {
      %p = llvm.getelementptr %w[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %f = llvm.load %p : !llvm.ptr -> f32
      scf.yield %f : f32
    }
    case 1 {
      %p = llvm.getelementptr %w[%i] : (!llvm.ptr, i64) -> !llvm.ptr, i16
      %h = llvm.load %p : !llvm.ptr -> i16
      %e = arith.extui %h : i16 to i32
      %c16 = arith.constant 16 : i32
      %s = arith.shli %e, %c16 : i32
      %f = arith.bitcast %s : i32 to f32
      scf.yield %f : f32
    }
    case 2 {
      %p = llvm.getelementptr %w[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f16
      %h = llvm.load %p : !llvm.ptr -> f16
      %f = arith.extf %h : f16 to f32
      scf.yield %f : f32
    }
    default {
      %p = llvm.getelementptr %w[%i] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %b = llvm.load %p : !llvm.ptr -> i8
      %f = arith.sitofp %b : i8 to f32
      scf.yield %f : f32
    }
    return %v : f32
  }

  // The sum of `v` over the 32 lanes of a warp, in every lane.
  func.func private @tern_warp_sum_f32(%v: f32) -> f32 {
    %width = arith.constant 32 : i32
    %c16 = arith.constant 16 : i32
    %c8 = arith.constant 8 : i32
    %c4 = arith.constant 4 : i32
    %c2 = arith.constant 2 : i32
    %c1 = arith.constant 1 : i32
    %o16, %v16 = gpu.shuffle xor %v, %c16, %width : f32
    %s16 = arith.addf %v, %o16 : f32
    %o8, %v8 = gpu.shuffle xor %s16, %c8, %width : f32
    %s8 = arith.addf %s16, %o8 : f32
    %o4, %v4 = gpu.shuffle xor %s8, %c4, %width : f32
    %s4 = arith.addf %s8, %o4 : f32
    %o2, %v2 = gpu.shuffle xor %s4, %c2, %width : f32
    %s2 = arith.addf %s4, %o2 : f32
    %o1, %v1 = gpu.shuffle xor %s2, %c1, %width : f32
    %s1 = arith.addf %s2, %o1 : f32
    return %s1 : f32
  }


  // ---------------------------------------------------------------------
  // Group-scaled variants (#tern.scale<group = G>, G a multiple of 32): the
  // weight scale ws[n, g] applies to the integer sum over the G weights of
  // group g, so the products are rescaled per group in f32 before they are
  // added, and the code offset is taken back per group with the group's
  // activation sum (dp4a / mma with all-one codes):
  //   y[m, n] = xs[m] * sum_g ws[n, g] * f32(sum_{k in g} q[m, k] * (c - 1))
  // ---------------------------------------------------------------------

  // One warp per weight row, as tern_gemv_i2; per 16 weights (one shift of
  // a block) the exact sum is rescaled by its group's scale.
  // Grid: (ceil(N / 8), M). Block: 256 threads.
  gpu.func @tern_gemv_i2_g(%q: !llvm.ptr, %ldq: i64, %xs: !llvm.ptr,
                           %w: !llvm.ptr, %rowBytes: i64, %ws: !llvm.ptr,
                           %groupSize: i64, %groups: i64, %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64,
                           %y: !llvm.ptr, %ldy: i64, %n: i64) kernel {
    %tidx = gpu.thread_id x
    %bidx = gpu.block_id x
    %mx = gpu.block_id y
    %tid = arith.index_cast %tidx : index to i64
    %bid = arith.index_cast %bidx : index to i64
    %m = arith.index_cast %mx : index to i64
    %c0 = arith.constant 0 : i64
    %c8 = arith.constant 8 : i64
    %c16 = arith.constant 16 : i64
    %c32 = arith.constant 32 : i64
    %c64 = arith.constant 64 : i64
    %warp = arith.divui %tid, %c32 : i64
    %lane = arith.remui %tid, %c32 : i64
    %rowBase = arith.muli %bid, %c8 : i64
    %row = arith.addi %rowBase, %warp : i64
    %inRange = arith.cmpi slt, %row, %n : i64
    scf.if %inRange {
      %blocks = arith.divui %rowBytes, %c16 : i64
      %woff = arith.muli %row, %rowBytes : i64
      %wrow = llvm.getelementptr %w[%woff] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %qoff = arith.muli %m, %ldq : i64
      %qrow = llvm.getelementptr %q[%qoff] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %soff = arith.muli %row, %groups : i64
      %srow = llvm.getelementptr %ws[%soff] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %zero = arith.constant 0.0 : f32
      %acc = scf.for %blk = %lane to %blocks step %c32 iter_args(%sum = %zero) -> (f32) : i64 {
        %wo = arith.muli %blk, %c16 : i64
        %wp = llvm.getelementptr %wrow[%wo] : (!llvm.ptr, i64) -> !llvm.ptr, i8
        %wv = llvm.load %wp {alignment = 16 : i64} : !llvm.ptr -> vector<4xi32>
        %k0 = arith.muli %blk, %c64 : i64
        %ap = llvm.getelementptr %qrow[%k0] : (!llvm.ptr, i64) -> !llvm.ptr, i8
        %s = func.call @tern_dot64_grouped(%wv, %ap, %k0, %srow, %groupSize, %groups, %sum) : (vector<4xi32>, !llvm.ptr, i64, !llvm.ptr, i64, i64, f32) -> f32
        scf.yield %s : f32
      }
      %r = func.call @tern_warp_sum_f32(%acc) : (f32) -> f32
      %first = arith.cmpi eq, %lane, %c0 : i64
      scf.if %first {
        func.call @tern_store_scaled(%r, %m, %row, %xs, %bias, %res, %ldr, %y, %ldy) : (f32, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
      }
    }
    gpu.return
  }

  // sum + the group-rescaled dot product of one 64-weight block starting at
  // weight k0 (codes in `wv`, activations at `a`).
  func.func private @tern_dot64_grouped(%wv: vector<4xi32>, %a: !llvm.ptr,
      %k0: i64, %srow: !llvm.ptr, %groupSize: i64, %groups: i64,
      %sum: f32) -> f32 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : i64
    %one = arith.constant 1 : i64
    %c2 = arith.constant 2 : i32
    %zi = arith.constant 0 : i32
    %mask = arith.constant 0x03030303 : i32
    %ones = arith.constant 0x01010101 : i32
    %onesb = llvm.bitcast %ones : i32 to vector<4xi8>
    %lastGroup = arith.subi %groups, %one : i64
    %acc = scf.for %s = %c0 to %c4 step %c1 iter_args(%acc0 = %sum) -> (f32) {
      %si = arith.index_cast %s : index to i64
      %off = arith.muli %si, %c16 : i64
      %p = llvm.getelementptr %a[%off] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %av = llvm.load %p {alignment = 16 : i64} : !llvm.ptr -> vector<4xi32>
      %s32 = arith.index_cast %s : index to i32
      %shift = arith.muli %s32, %c2 : i32
      %part:2 = scf.for %word = %c0 to %c4 step %c1 iter_args(%d0 = %zi, %o0 = %zi) -> (i32, i32) {
        %wword = vector.extract %wv[%word] : i32 from vector<4xi32>
        %shifted = arith.shrui %wword, %shift : i32
        %codes = arith.andi %shifted, %mask : i32
        %aword = vector.extract %av[%word] : i32 from vector<4xi32>
        %cb = llvm.bitcast %codes : i32 to vector<4xi8>
        %ab = llvm.bitcast %aword : i32 to vector<4xi8>
        %d = nvvm.dot.accumulate.4way %ab <signed>, %cb <unsigned>, %d0 : vector<4xi8>, vector<4xi8>
        %o = nvvm.dot.accumulate.4way %ab <signed>, %onesb <unsigned>, %o0 : vector<4xi8>, vector<4xi8>
        scf.yield %d, %o : i32, i32
      }
      %exact = arith.subi %part#0, %part#1 : i32
      %f = arith.sitofp %exact : i32 to f32
      %k = arith.addi %k0, %off : i64
      %g0 = arith.divui %k, %groupSize : i64
      %g = arith.minui %g0, %lastGroup : i64
      %sp = llvm.getelementptr %srow[%g] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %scale = llvm.load %sp : !llvm.ptr -> f32
      %r = llvm.inline_asm "fma.rn.f32 $0, $1, $2, $3;", "=f,f,f,f" %f, %scale, %acc0 : (f32, f32, f32) -> f32
      scf.yield %r : f32
    }
    return %acc : f32
  }

  // y[m * ldy + n] = v * xs[m] (+ bias[n] when bias is not null).
  func.func private @tern_store_scaled(%v: f32, %m: i64, %n: i64,
                                       %xs: !llvm.ptr, %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64,
                                       %y: !llvm.ptr, %ldy: i64) {
    %xsp = llvm.getelementptr %xs[%m] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %xsv = llvm.load %xsp : !llvm.ptr -> f32
    %b = arith.mulf %v, %xsv : f32
    %null = llvm.mlir.zero : !llvm.ptr
    %hasBias = llvm.icmp "ne" %bias, %null : !llvm.ptr
    %rb = scf.if %hasBias -> (f32) {
      %bp = llvm.getelementptr %bias[%n] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %bv = llvm.load %bp : !llvm.ptr -> f32
      %s = arith.addf %b, %bv : f32
      scf.yield %s : f32
    } else {
      scf.yield %b : f32
    }
    %r = func.call @tern_add_residual(%rb, %m, %n, %res, %ldr) : (f32, i64, i64, !llvm.ptr, i64) -> f32
    %yi = arith.muli %m, %ldy : i64
    %yj = arith.addi %yi, %n : i64
    %yp = llvm.getelementptr %y[%yj] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %r, %yp : f32, !llvm.ptr
    return
  }

  // The tensor-core product with group scales: per group, exact int32 tiles
  // over its k-steps (4 column tiles and, with all-one codes, the rows'
  // activation sums), then one f32 rescale per tile element.
  // Grid: (ceil(N / 128), ceil(M / 16)). Block: 128 threads (4 warps).
  gpu.func @tern_gemm_i2_g(%q: !llvm.ptr, %ldq: i64, %xs: !llvm.ptr,
                           %w: !llvm.ptr, %rowBytes: i64, %ws: !llvm.ptr,
                           %groupSize: i64, %groups: i64, %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64,
                           %y: !llvm.ptr, %ldy: i64, %mRows: i64, %n: i64) kernel {
    %tidx = gpu.thread_id x
    %bidx = gpu.block_id x
    %bidy = gpu.block_id y
    %tid = arith.index_cast %tidx : index to i64
    %bx = arith.index_cast %bidx : index to i64
    %by = arith.index_cast %bidy : index to i64
    %c0 = arith.constant 0 : i64
    %c1 = arith.constant 1 : i64
    %c2 = arith.constant 2 : i64
    %c4 = arith.constant 4 : i64
    %c8 = arith.constant 8 : i64
    %c16 = arith.constant 16 : i64
    %c24 = arith.constant 24 : i64
    %c32 = arith.constant 32 : i64
    %c128 = arith.constant 128 : i64
    %warp = arith.divui %tid, %c32 : i64
    %lane = arith.remui %tid, %c32 : i64
    %g = arith.divui %lane, %c4 : i64
    %t = arith.remui %lane, %c4 : i64
    %m0 = arith.muli %by, %c16 : i64
    %nb = arith.muli %bx, %c128 : i64
    %nw = arith.muli %warp, %c32 : i64
    %n0 = arith.addi %nb, %nw : i64
    %mA = arith.addi %m0, %g : i64
    %mB = arith.addi %mA, %c8 : i64
    %steps = arith.divui %rowBytes, %c8 : i64
    %stepsPerGroup = arith.divui %groupSize, %c32 : i64
    %groupCount = arith.ceildivui %steps, %stepsPerGroup : i64
    %t2 = arith.muli %t, %c2 : i64
    %col0 = arith.addi %n0, %t2 : i64
    %col1 = arith.addi %col0, %c8 : i64
    %col2 = arith.addi %col0, %c16 : i64
    %col3 = arith.addi %col0, %c24 : i64
    %nA = arith.addi %n0, %g : i64
    %n8 = arith.addi %nA, %c8 : i64
    %n16 = arith.addi %nA, %c16 : i64
    %n24 = arith.addi %nA, %c24 : i64
    %zf = arith.constant dense<0.0> : vector<4xf32>
    %acc:4 = scf.for %grp = %c0 to %groupCount step %c1
        iter_args(%f0 = %zf, %f1 = %zf, %f2 = %zf, %f3 = %zf)
        -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>) : i64 {
      %first = arith.muli %grp, %stepsPerGroup : i64
      %end0 = arith.addi %first, %stepsPerGroup : i64
      %end = arith.minui %end0, %steps : i64
      %zi = arith.constant 0 : i32
      %z = llvm.mlir.undef : !llvm.struct<(i32, i32, i32, i32)>
      %z0 = llvm.insertvalue %zi, %z[0] : !llvm.struct<(i32, i32, i32, i32)>
      %z1 = llvm.insertvalue %zi, %z0[1] : !llvm.struct<(i32, i32, i32, i32)>
      %z2 = llvm.insertvalue %zi, %z1[2] : !llvm.struct<(i32, i32, i32, i32)>
      %z3 = llvm.insertvalue %zi, %z2[3] : !llvm.struct<(i32, i32, i32, i32)>
      %ints:5 = scf.for %ks = %first to %end step %c1
          iter_args(%a0 = %z3, %a1 = %z3, %a2 = %z3, %a3 = %z3, %as = %z3)
          -> (!llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>,
              !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>,
              !llvm.struct<(i32, i32, i32, i32)>) : i64 {
        %kb = arith.muli %ks, %c32 : i64
        %t4 = arith.muli %t, %c4 : i64
        %k0 = arith.addi %kb, %t4 : i64
        %k1 = arith.addi %k0, %c16 : i64
        %x0 = func.call @tern_load_act(%q, %ldq, %mA, %mRows, %k0) : (!llvm.ptr, i64, i64, i64, i64) -> i32
        %x1 = func.call @tern_load_act(%q, %ldq, %mB, %mRows, %k0) : (!llvm.ptr, i64, i64, i64, i64) -> i32
        %x2 = func.call @tern_load_act(%q, %ldq, %mA, %mRows, %k1) : (!llvm.ptr, i64, i64, i64, i64) -> i32
        %x3 = func.call @tern_load_act(%q, %ldq, %mB, %mRows, %k1) : (!llvm.ptr, i64, i64, i64, i64) -> i32
        %r0 = func.call @tern_mma_step(%w, %rowBytes, %nA, %n, %ks, %t, %x0, %x1, %x2, %x3, %a0) : (!llvm.ptr, i64, i64, i64, i64, i64, i32, i32, i32, i32, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
        %r1 = func.call @tern_mma_step(%w, %rowBytes, %n8, %n, %ks, %t, %x0, %x1, %x2, %x3, %a1) : (!llvm.ptr, i64, i64, i64, i64, i64, i32, i32, i32, i32, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
        %r2 = func.call @tern_mma_step(%w, %rowBytes, %n16, %n, %ks, %t, %x0, %x1, %x2, %x3, %a2) : (!llvm.ptr, i64, i64, i64, i64, i64, i32, i32, i32, i32, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
        %r3 = func.call @tern_mma_step(%w, %rowBytes, %n24, %n, %ks, %t, %x0, %x1, %x2, %x3, %a3) : (!llvm.ptr, i64, i64, i64, i64, i64, i32, i32, i32, i32, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
        %ones = arith.constant 0x01010101 : i32
        %rs = nvvm.mma.sync A[%x0, %x1, %x2, %x3] B[%ones, %ones] C[%zi, %zi, %zi, %zi]
          {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
           multiplicandAPtxType = #nvvm.mma_type<s8>, multiplicandBPtxType = #nvvm.mma_type<u8>,
           intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>,
           shape = #nvvm.shape<m = 16, n = 8, k = 32>} : (i32, i32, i32) -> !llvm.struct<(i32, i32, i32, i32)>
        %sum = func.call @tern_add_tiles(%as, %rs) : (!llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)>
        scf.yield %r0, %r1, %r2, %r3, %sum : !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>
      }
      %g0 = func.call @tern_rescale_tile(%ints#0, %ints#4, %col0, %n, %ws, %groups, %grp, %f0) : (!llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, i64, i64, !llvm.ptr, i64, i64, vector<4xf32>) -> vector<4xf32>
      %g1 = func.call @tern_rescale_tile(%ints#1, %ints#4, %col1, %n, %ws, %groups, %grp, %f1) : (!llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, i64, i64, !llvm.ptr, i64, i64, vector<4xf32>) -> vector<4xf32>
      %g2 = func.call @tern_rescale_tile(%ints#2, %ints#4, %col2, %n, %ws, %groups, %grp, %f2) : (!llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, i64, i64, !llvm.ptr, i64, i64, vector<4xf32>) -> vector<4xf32>
      %g3 = func.call @tern_rescale_tile(%ints#3, %ints#4, %col3, %n, %ws, %groups, %grp, %f3) : (!llvm.struct<(i32, i32, i32, i32)>, !llvm.struct<(i32, i32, i32, i32)>, i64, i64, !llvm.ptr, i64, i64, vector<4xf32>) -> vector<4xf32>
      scf.yield %g0, %g1, %g2, %g3 : vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>
    }
    func.call @tern_store_scaled_tile(%acc#0, %mA, %mB, %mRows, %col0, %n, %xs, %bias, %res, %ldr, %y, %ldy) : (vector<4xf32>, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_scaled_tile(%acc#1, %mA, %mB, %mRows, %col1, %n, %xs, %bias, %res, %ldr, %y, %ldy) : (vector<4xf32>, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_scaled_tile(%acc#2, %mA, %mB, %mRows, %col2, %n, %xs, %bias, %res, %ldr, %y, %ldy) : (vector<4xf32>, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_scaled_tile(%acc#3, %mA, %mB, %mRows, %col3, %n, %xs, %bias, %res, %ldr, %y, %ldy) : (vector<4xf32>, i64, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    gpu.return
  }

  // acc + one m16n8k32 product of k-step ks (32 weights: half ks % 2 of
  // block ks / 2) for this lane's column `col` (codes 0 past row n).
  func.func private @tern_mma_step(%w: !llvm.ptr, %rowBytes: i64, %col: i64,
      %n: i64, %ks: i64, %t: i64, %x0: i32, %x1: i32, %x2: i32, %x3: i32,
      %acc: !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)> {
    %c2 = arith.constant 2 : i64
    %c4 = arith.constant 4 : i64
    %c16 = arith.constant 16 : i64
    %inside = arith.cmpi slt, %col, %n : i64
    %blk = arith.divui %ks, %c2 : i64
    %word = scf.if %inside -> (i32) {
      %ro = arith.muli %col, %rowBytes : i64
      %bo = arith.muli %blk, %c16 : i64
      %to = arith.muli %t, %c4 : i64
      %o1 = arith.addi %ro, %bo : i64
      %o = arith.addi %o1, %to : i64
      %p = llvm.getelementptr %w[%o] : (!llvm.ptr, i64) -> !llvm.ptr, i8
      %v = llvm.load %p {alignment = 4 : i64} : !llvm.ptr -> i32
      scf.yield %v : i32
    } else {
      %zeros = arith.constant 0x55555555 : i32
      scf.yield %zeros : i32
    }
    // Shifts 0 and 2 for the block's first k-step, 4 and 6 for its second.
    %half = arith.remui %ks, %c2 : i64
    %h4 = arith.muli %half, %c4 : i64
    %s0 = arith.trunci %h4 : i64 to i32
    %two = arith.constant 2 : i32
    %s1 = arith.addi %s0, %two : i32
    %mask = arith.constant 0x03030303 : i32
    %w0 = arith.shrui %word, %s0 : i32
    %b0 = arith.andi %w0, %mask : i32
    %w1 = arith.shrui %word, %s1 : i32
    %b1 = arith.andi %w1, %mask : i32
    %c0v = llvm.extractvalue %acc[0] : !llvm.struct<(i32, i32, i32, i32)>
    %c1v = llvm.extractvalue %acc[1] : !llvm.struct<(i32, i32, i32, i32)>
    %c2v = llvm.extractvalue %acc[2] : !llvm.struct<(i32, i32, i32, i32)>
    %c3v = llvm.extractvalue %acc[3] : !llvm.struct<(i32, i32, i32, i32)>
    %r = nvvm.mma.sync A[%x0, %x1, %x2, %x3] B[%b0, %b1] C[%c0v, %c1v, %c2v, %c3v]
      {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>,
       multiplicandAPtxType = #nvvm.mma_type<s8>, multiplicandBPtxType = #nvvm.mma_type<u8>,
       intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>,
       shape = #nvvm.shape<m = 16, n = 8, k = 32>} : (i32, i32, i32) -> !llvm.struct<(i32, i32, i32, i32)>
    return %r : !llvm.struct<(i32, i32, i32, i32)>
  }

  func.func private @tern_add_tiles(%a: !llvm.struct<(i32, i32, i32, i32)>,
      %b: !llvm.struct<(i32, i32, i32, i32)>) -> !llvm.struct<(i32, i32, i32, i32)> {
    %a0 = llvm.extractvalue %a[0] : !llvm.struct<(i32, i32, i32, i32)>
    %a1 = llvm.extractvalue %a[1] : !llvm.struct<(i32, i32, i32, i32)>
    %a2 = llvm.extractvalue %a[2] : !llvm.struct<(i32, i32, i32, i32)>
    %a3 = llvm.extractvalue %a[3] : !llvm.struct<(i32, i32, i32, i32)>
    %b0 = llvm.extractvalue %b[0] : !llvm.struct<(i32, i32, i32, i32)>
    %b1 = llvm.extractvalue %b[1] : !llvm.struct<(i32, i32, i32, i32)>
    %b2 = llvm.extractvalue %b[2] : !llvm.struct<(i32, i32, i32, i32)>
    %b3 = llvm.extractvalue %b[3] : !llvm.struct<(i32, i32, i32, i32)>
    %s0 = arith.addi %a0, %b0 : i32
    %s1 = arith.addi %a1, %b1 : i32
    %s2 = arith.addi %a2, %b2 : i32
    %s3 = arith.addi %a3, %b3 : i32
    %u = llvm.mlir.undef : !llvm.struct<(i32, i32, i32, i32)>
    %r0 = llvm.insertvalue %s0, %u[0] : !llvm.struct<(i32, i32, i32, i32)>
    %r1 = llvm.insertvalue %s1, %r0[1] : !llvm.struct<(i32, i32, i32, i32)>
    %r2 = llvm.insertvalue %s2, %r1[2] : !llvm.struct<(i32, i32, i32, i32)>
    %r3 = llvm.insertvalue %s3, %r2[3] : !llvm.struct<(i32, i32, i32, i32)>
    return %r3 : !llvm.struct<(i32, i32, i32, i32)>
  }

  // f + f32(ints - rowSums) * ws[column, group], element by element of an
  // m16n8 tile (elements 0, 2 in column col, 1, 3 in col + 1).
  func.func private @tern_rescale_tile(%ints: !llvm.struct<(i32, i32, i32, i32)>,
      %rowSums: !llvm.struct<(i32, i32, i32, i32)>, %col: i64, %n: i64,
      %ws: !llvm.ptr, %groups: i64, %grp: i64, %f: vector<4xf32>) -> vector<4xf32> {
    %c1 = arith.constant 1 : i64
    %col1 = arith.addi %col, %c1 : i64
    %s0 = func.call @tern_group_scale(%ws, %col, %n, %groups, %grp) : (!llvm.ptr, i64, i64, i64, i64) -> f32
    %s1 = func.call @tern_group_scale(%ws, %col1, %n, %groups, %grp) : (!llvm.ptr, i64, i64, i64, i64) -> f32
    %i0 = llvm.extractvalue %ints[0] : !llvm.struct<(i32, i32, i32, i32)>
    %i1 = llvm.extractvalue %ints[1] : !llvm.struct<(i32, i32, i32, i32)>
    %i2 = llvm.extractvalue %ints[2] : !llvm.struct<(i32, i32, i32, i32)>
    %i3 = llvm.extractvalue %ints[3] : !llvm.struct<(i32, i32, i32, i32)>
    %r0 = llvm.extractvalue %rowSums[0] : !llvm.struct<(i32, i32, i32, i32)>
    %r2 = llvm.extractvalue %rowSums[2] : !llvm.struct<(i32, i32, i32, i32)>
    %e0 = arith.subi %i0, %r0 : i32
    %e1 = arith.subi %i1, %r0 : i32
    %e2 = arith.subi %i2, %r2 : i32
    %e3 = arith.subi %i3, %r2 : i32
    %v0 = arith.sitofp %e0 : i32 to f32
    %v1 = arith.sitofp %e1 : i32 to f32
    %v2 = arith.sitofp %e2 : i32 to f32
    %v3 = arith.sitofp %e3 : i32 to f32
    %f0 = vector.extract %f[0] : f32 from vector<4xf32>
    %f1 = vector.extract %f[1] : f32 from vector<4xf32>
    %f2 = vector.extract %f[2] : f32 from vector<4xf32>
    %f3 = vector.extract %f[3] : f32 from vector<4xf32>
    %n0 = llvm.inline_asm "fma.rn.f32 $0, $1, $2, $3;", "=f,f,f,f" %v0, %s0, %f0 : (f32, f32, f32) -> f32
    %n1 = llvm.inline_asm "fma.rn.f32 $0, $1, $2, $3;", "=f,f,f,f" %v1, %s1, %f1 : (f32, f32, f32) -> f32
    %n2 = llvm.inline_asm "fma.rn.f32 $0, $1, $2, $3;", "=f,f,f,f" %v2, %s0, %f2 : (f32, f32, f32) -> f32
    %n3 = llvm.inline_asm "fma.rn.f32 $0, $1, $2, $3;", "=f,f,f,f" %v3, %s1, %f3 : (f32, f32, f32) -> f32
    %u = arith.constant dense<0.0> : vector<4xf32>
    %w0 = vector.insert %n0, %u[0] : f32 into vector<4xf32>
    %w1 = vector.insert %n1, %w0[1] : f32 into vector<4xf32>
    %w2 = vector.insert %n2, %w1[2] : f32 into vector<4xf32>
    %w3 = vector.insert %n3, %w2[3] : f32 into vector<4xf32>
    return %w3 : vector<4xf32>
  }

  // ws[col, min(grp, groups - 1)], 0 past the last row.
  func.func private @tern_group_scale(%ws: !llvm.ptr, %col: i64, %n: i64,
                                      %groups: i64, %grp: i64) -> f32 {
    %inside = arith.cmpi slt, %col, %n : i64
    %s = scf.if %inside -> (f32) {
      %c1 = arith.constant 1 : i64
      %last = arith.subi %groups, %c1 : i64
      %g = arith.minui %grp, %last : i64
      %ro = arith.muli %col, %groups : i64
      %o = arith.addi %ro, %g : i64
      %p = llvm.getelementptr %ws[%o] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %v = llvm.load %p : !llvm.ptr -> f32
      scf.yield %v : f32
    } else {
      %z = arith.constant 0.0 : f32
      scf.yield %z : f32
    }
    return %s : f32
  }

  // Stores an m16n8 f32 tile times the rows' activation scales (and bias).
  func.func private @tern_store_scaled_tile(%acc: vector<4xf32>, %mA: i64,
      %mB: i64, %rows: i64, %col: i64, %n: i64, %xs: !llvm.ptr,
      %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64, %y: !llvm.ptr, %ldy: i64) {
    %c1 = arith.constant 1 : i64
    %col1 = arith.addi %col, %c1 : i64
    %v0 = vector.extract %acc[0] : f32 from vector<4xf32>
    %v1 = vector.extract %acc[1] : f32 from vector<4xf32>
    %v2 = vector.extract %acc[2] : f32 from vector<4xf32>
    %v3 = vector.extract %acc[3] : f32 from vector<4xf32>
    func.call @tern_store_scaled_checked(%v0, %mA, %col, %rows, %n, %xs, %bias, %res, %ldr, %y, %ldy) : (f32, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_scaled_checked(%v1, %mA, %col1, %rows, %n, %xs, %bias, %res, %ldr, %y, %ldy) : (f32, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_scaled_checked(%v2, %mB, %col, %rows, %n, %xs, %bias, %res, %ldr, %y, %ldy) : (f32, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    func.call @tern_store_scaled_checked(%v3, %mB, %col1, %rows, %n, %xs, %bias, %res, %ldr, %y, %ldy) : (f32, i64, i64, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    return
  }

  func.func private @tern_store_scaled_checked(%v: f32, %m: i64, %col: i64,
      %rows: i64, %n: i64, %xs: !llvm.ptr, %bias: !llvm.ptr, %res: !llvm.ptr, %ldr: i64, %y: !llvm.ptr,
      %ldy: i64) {
    %mIn = arith.cmpi slt, %m, %rows : i64
    %nIn = arith.cmpi slt, %col, %n : i64
    %in = arith.andi %mIn, %nIn : i1
    scf.if %in {
      func.call @tern_store_scaled(%v, %m, %col, %xs, %bias, %res, %ldr, %y, %ldy) : (f32, i64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64) -> ()
    }
    return
  }


  // v + res[m * ldr + n] (a residual connection fused into a product), or v
  // when res is null.
  func.func private @tern_add_residual(%v: f32, %m: i64, %n: i64,
                                       %res: !llvm.ptr, %ldr: i64) -> f32 {
    %null = llvm.mlir.zero : !llvm.ptr
    %has = llvm.icmp "ne" %res, %null : !llvm.ptr
    %r = scf.if %has -> (f32) {
      %o = arith.muli %m, %ldr : i64
      %i = arith.addi %o, %n : i64
      %p = llvm.getelementptr %res[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %x = llvm.load %p : !llvm.ptr -> f32
      %s = arith.addf %v, %x : f32
      scf.yield %s : f32
    } else {
      scf.yield %v : f32
    }
    return %r : f32
  }

}
