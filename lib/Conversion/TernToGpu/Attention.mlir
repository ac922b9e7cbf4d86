// tern.attention on CUDA, for one head dimension: convert-tern-to-gpu
// instantiates this template with {D} (the head dimension, a multiple of 32
// up to 256), {DPL} = D / 32 (elements per lane) and {D4} = 4 * D, and adds
// the kernel to the module's gpu.module.
//
// One block of 4 warps per (query head, new token). Lane l owns elements
// l, l + 32, ... of the head. Warp w visits the cached positions j = w,
// w + 4, ... <= p0 + t with an online softmax (running max, normalizer and
// weighted sum of values; scores in base 2, the query pre-scaled by
// scale * log2(e)); the four partial results are merged through shared
// memory. The caches were written before the launch, so keys and values of
// the new tokens are read from them like the old ones.
gpu.module @tern_kernels {
  gpu.func @tern_attention_d{D}(%q: !llvm.ptr, %ldqt: i64, %ldqh: i64,
      %kc: !llvm.ptr, %vc: !llvm.ptr, %ldch: i64, %ldcs: i64, %p0: i64,
      %tokens: i64, %heads: i64, %kvHeads: i64, %capacity: i64,
      %scale: f32, %out: !llvm.ptr, %ldot: i64, %ldoh: i64)
      workgroup(%sm: memref<4xf32, #gpu.address_space<workgroup>>,
                %sl: memref<4xf32, #gpu.address_space<workgroup>>,
                %sacc: memref<{D4}xf32, #gpu.address_space<workgroup>>)
      kernel {
    %tidx = gpu.thread_id x
    %hx = gpu.block_id x
    %tx = gpu.block_id y
    %tid = arith.index_cast %tidx : index to i64
    %hq = arith.index_cast %hx : index to i64
    %t = arith.index_cast %tx : index to i64
    %c0 = arith.constant 0 : i64
    %c1 = arith.constant 1 : i64
    %c4 = arith.constant 4 : i64
    %c32 = arith.constant 32 : i64
    %ci0 = arith.constant 0 : index
    %ci1 = arith.constant 1 : index
    %cdpl = arith.constant {DPL} : index
    %warp = arith.divui %tid, %c32 : i64
    %lane = arith.remui %tid, %c32 : i64
    %group = arith.divui %heads, %kvHeads : i64
    %g = arith.divui %hq, %group : i64
    // Positions 0 .. p0 + t, none when the tokens do not fit the cache.
    %end = arith.addi %p0, %tokens : i64
    %fits = arith.cmpi sle, %end, %capacity : i64
    %nonneg = arith.cmpi sge, %p0, %c0 : i64
    %valid = arith.andi %fits, %nonneg : i1
    %last = arith.addi %p0, %t : i64
    %count = arith.addi %last, %c1 : i64
    %n = arith.select %valid, %count, %c0 : i64
    %log2e = arith.constant 1.44269504088896340736 : f32
    %qscale = arith.mulf %scale, %log2e : f32
    %qto = arith.muli %t, %ldqt : i64
    %qho = arith.muli %hq, %ldqh : i64
    %qo = arith.addi %qto, %qho : i64
    %qrow = llvm.getelementptr %q[%qo] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %zeros = arith.constant dense<0.0> : vector<{DPL}xf32>
    %qv = scf.for %j = %ci0 to %cdpl step %ci1 iter_args(%acc = %zeros) -> (vector<{DPL}xf32>) {
      %d = func.call @tern_lane_element(%j, %lane) : (index, i64) -> i64
      %p = llvm.getelementptr %qrow[%d] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %v = llvm.load %p : !llvm.ptr -> f32
      %s = arith.mulf %v, %qscale : f32
      %r = vector.insert %s, %acc[%j] : f32 into vector<{DPL}xf32>
      scf.yield %r : vector<{DPL}xf32>
    }
    %cho = arith.muli %g, %ldch : i64
    %krows = llvm.getelementptr %kc[%cho] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %vrows = llvm.getelementptr %vc[%cho] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %ninf = arith.constant 0xFF800000 : f32
    %zero = arith.constant 0.0 : f32
    %res:3 = scf.for %pos = %warp to %n step %c4
        iter_args(%m = %ninf, %l = %zero, %acc = %zeros) -> (f32, f32, vector<{DPL}xf32>) : i64 {
      %ro = arith.muli %pos, %ldcs : i64
      %krow = llvm.getelementptr %krows[%ro] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %vrow = llvm.getelementptr %vrows[%ro] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %part = scf.for %j = %ci0 to %cdpl step %ci1 iter_args(%s = %zero) -> (f32) {
        %d = func.call @tern_lane_element(%j, %lane) : (index, i64) -> i64
        %kp = llvm.getelementptr %krow[%d] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        %kv = llvm.load %kp : !llvm.ptr -> f32
        %qj = vector.extract %qv[%j] : f32 from vector<{DPL}xf32>
        %prod = arith.mulf %qj, %kv : f32
        %s2 = arith.addf %s, %prod : f32
        scf.yield %s2 : f32
      }
      %score = func.call @tern_attention_warp_sum(%part) : (f32) -> f32
      %mNew = arith.maximumf %m, %score : f32
      %dm = arith.subf %m, %mNew : f32
      %corr = llvm.inline_asm "ex2.approx.ftz.f32 $0, $1;", "=f,f" %dm : (f32) -> f32
      %ds = arith.subf %score, %mNew : f32
      %pr = llvm.inline_asm "ex2.approx.ftz.f32 $0, $1;", "=f,f" %ds : (f32) -> f32
      %lc = arith.mulf %l, %corr : f32
      %lNew = arith.addf %lc, %pr : f32
      %accNew = scf.for %j = %ci0 to %cdpl step %ci1 iter_args(%a = %acc) -> (vector<{DPL}xf32>) {
        %d = func.call @tern_lane_element(%j, %lane) : (index, i64) -> i64
        %vp = llvm.getelementptr %vrow[%d] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        %vv = llvm.load %vp : !llvm.ptr -> f32
        %aj = vector.extract %a[%j] : f32 from vector<{DPL}xf32>
        %ac = arith.mulf %aj, %corr : f32
        %pv = arith.mulf %pr, %vv : f32
        %an = arith.addf %ac, %pv : f32
        %r = vector.insert %an, %a[%j] : f32 into vector<{DPL}xf32>
        scf.yield %r : vector<{DPL}xf32>
      }
      scf.yield %mNew, %lNew, %accNew : f32, f32, vector<{DPL}xf32>
    }
    // Merge the four warps' partial softmax sums.
    %wi = arith.index_cast %warp : i64 to index
    %first = arith.cmpi eq, %lane, %c0 : i64
    scf.if %first {
      memref.store %res#0, %sm[%wi] : memref<4xf32, #gpu.address_space<workgroup>>
      memref.store %res#1, %sl[%wi] : memref<4xf32, #gpu.address_space<workgroup>>
    }
    %cD = arith.constant {D} : i64
    %wbase = arith.muli %warp, %cD : i64
    scf.for %j = %ci0 to %cdpl step %ci1 {
      %d = func.call @tern_lane_element(%j, %lane) : (index, i64) -> i64
      %o = arith.addi %wbase, %d : i64
      %oi = arith.index_cast %o : i64 to index
      %aj = vector.extract %res#2[%j] : f32 from vector<{DPL}xf32>
      memref.store %aj, %sacc[%oi] : memref<{D4}xf32, #gpu.address_space<workgroup>>
    }
    gpu.barrier
    %isWarp0 = arith.cmpi eq, %warp, %c0 : i64
    scf.if %isWarp0 {
      %ci4 = arith.constant 4 : index
      %mAll = scf.for %w = %ci0 to %ci4 step %ci1 iter_args(%mx = %ninf) -> (f32) {
        %mw = memref.load %sm[%w] : memref<4xf32, #gpu.address_space<workgroup>>
        %r = arith.maximumf %mx, %mw : f32
        scf.yield %r : f32
      }
      %any = arith.cmpf ogt, %mAll, %ninf : f32
      %total = scf.for %w = %ci0 to %ci4 step %ci1 iter_args(%s = %zero) -> (f32) {
        %f = func.call @tern_attention_weight(%sm, %w, %mAll, %any) : (memref<4xf32, #gpu.address_space<workgroup>>, index, f32, i1) -> f32
        %lw = memref.load %sl[%w] : memref<4xf32, #gpu.address_space<workgroup>>
        %c = arith.mulf %lw, %f : f32
        %r = arith.addf %s, %c : f32
        scf.yield %r : f32
      }
      %one = arith.constant 1.0 : f32
      %hasMass = arith.cmpf ogt, %total, %zero : f32
      %norm = arith.select %hasMass, %total, %one : f32
      %oto = arith.muli %t, %ldot : i64
      %oho = arith.muli %hq, %ldoh : i64
      %oo = arith.addi %oto, %oho : i64
      %orow = llvm.getelementptr %out[%oo] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      scf.for %j = %ci0 to %cdpl step %ci1 {
        %d = func.call @tern_lane_element(%j, %lane) : (index, i64) -> i64
        %sum = scf.for %w = %ci0 to %ci4 step %ci1 iter_args(%s = %zero) -> (f32) {
          %f = func.call @tern_attention_weight(%sm, %w, %mAll, %any) : (memref<4xf32, #gpu.address_space<workgroup>>, index, f32, i1) -> f32
          %wl = arith.index_cast %w : index to i64
          %wo = arith.muli %wl, %cD : i64
          %o = arith.addi %wo, %d : i64
          %oi = arith.index_cast %o : i64 to index
          %a = memref.load %sacc[%oi] : memref<{D4}xf32, #gpu.address_space<workgroup>>
          %c = arith.mulf %a, %f : f32
          %r = arith.addf %s, %c : f32
          scf.yield %r : f32
        }
        %v = arith.divf %sum, %norm : f32
        %op = llvm.getelementptr %orow[%d] : (!llvm.ptr, i64) -> !llvm.ptr, f32
        llvm.store %v, %op : f32, !llvm.ptr
      }
    }
    gpu.return
  }

  // Element j of this lane's share of a head: lane + 32 * j.
  func.func private @tern_lane_element(%j: index, %lane: i64) -> i64 {
    %c32 = arith.constant 32 : i64
    %jl = arith.index_cast %j : index to i64
    %o = arith.muli %jl, %c32 : i64
    %d = arith.addi %o, %lane : i64
    return %d : i64
  }

  // 2^(m_w - mAll): warp w's share of the merged softmax (0 when no warp saw
  // a position).
  func.func private @tern_attention_weight(%sm: memref<4xf32, #gpu.address_space<workgroup>>,
                                           %w: index, %mAll: f32, %any: i1) -> f32 {
    %mw = memref.load %sm[%w] : memref<4xf32, #gpu.address_space<workgroup>>
    %d = arith.subf %mw, %mAll : f32
    %e = llvm.inline_asm "ex2.approx.ftz.f32 $0, $1;", "=f,f" %d : (f32) -> f32
    %zero = arith.constant 0.0 : f32
    %r = arith.select %any, %e, %zero : f32
    return %r : f32
  }

  // The sum of `v` over the 32 lanes of a warp, in every lane.
  func.func private @tern_attention_warp_sum(%v: f32) -> f32 {
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
}
