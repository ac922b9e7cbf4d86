//===- MatmulKernel.h - Generated low-bit matmul microkernels ---*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Builds, inside a module, the CPU microkernel for one (instruction set,
// weight layout) pair of tern.matmul:
//
//   void tern_matmul_<tag>(ptr a, i64 lda, ptr w, i64 ldw, ptr c, i64 ldc,
//                          i64 m, i64 n, i64 k)
//
// c[i, j] = sum_k a[i, k] * w[j, k] in i32, with `a` int8 [m, k] (row stride
// lda), `w` the packed [n, k] weight (row stride ldw bytes) and `c` int32
// [m, n] (row stride ldc). The dequantizing variant (`_dq`, tern.dequantize
// of the product fused in) takes three more operands and writes f32:
//
//   ..., ptr rowScale, ptr colScale, i64 colScaleStride)
//   c[i, j] = (f32(sum_k a[i, k] * w[j, k]) * rowScale[i])
//             * colScale[j * colScaleStride]
//
// The group-scaled variant (`_g<G>`, always dequantizing) reads one weight
// scale per row and group of G consecutive k (colScale [n, colScaleStride],
// colScaleStride = ceil(k / G) groups):
//
//   c[i, j] = rowScale[i] * sum_g colScale[j * colScaleStride + g]
//                                 * f32(sum_{k in group g} a[i, k] * w[j, k])
//
// and the residual variant (`_dq_res`, a residual add fused too) two more:
//
//   ..., ptr residual, i64 ldr)
//   c[i, j] = <the above> + residual[i * ldr + j]
//
// The kernel works on codes (w + 1, unsigned) so the
// integer dot-product instructions that take one unsigned operand apply:
// sum_k code * a - sum_k a = sum_k w * a.
//
// Work is split over tiles of output rows by calling the runtime's
// parallel-for through the function pointer global `__tern_parallel_for`
// (null: run serially), which the runtime sets after loading the artifact.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CONVERSION_TERNTOKERNELS_MATMULKERNEL_H
#define TERN_CONVERSION_TERNTOKERNELS_MATMULKERNEL_H

#include "tern/Support/Packing.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace mlir::tern {

/// The integer dot-product instructions a kernel is built around.
enum class DotIsa {
  Avx512Vnni, ///< vpdpbusd on 512-bit vectors (AVX-512 VNNI).
  Avx2,       ///< vpmaddubsw + vpmaddwd on 256-bit vectors.
  Portable,   ///< plain vector arithmetic on 128-bit vectors, any target.
  Neon,       ///< AArch64 NEON: smull + sadalp; tbl for lookup tables.
  NeonDot,    ///< AArch64 +dotprod: sdot on 128-bit vectors.
  NeonI8mm,   ///< AArch64 +i8mm (and +dotprod): smmla 2x2 blocks in prefill
              ///< tiles, sdot in the matrix-vector kernel.
};

/// Whether `isa`'s kernels are AArch64 code.
inline bool isAArch64(DotIsa isa) {
  return isa == DotIsa::Neon || isa == DotIsa::NeonDot ||
         isa == DotIsa::NeonI8mm;
}

std::optional<DotIsa> parseDotIsa(llvm::StringRef name);
llvm::StringRef stringifyDotIsa(DotIsa isa);

/// The instructions `isa`'s kernels are built on, for people: e.g.
/// "vpdpbusd (AVX-512 VNNI)".
llvm::StringRef describeDotIsa(DotIsa isa);

/// Bytes in one vector register of `isa`.
int64_t vectorBytes(DotIsa isa);

/// The layout whose weights `isa` unpacks in registers with no scratch:
/// 2-bit codes in blocks of 4 vectors (i2:256 for AVX-512, i2:128 for AVX2),
/// rows interleaved in the matrix-vector kernel's tiles (8 on AVX-512, 4
/// otherwise).
::tern::Layout preferredLayout(DotIsa isa);

/// The same for binary weights: 1-bit signs in blocks of 8 vectors (one load
/// and eight shifts per eight vectors of bits), rows interleaved likewise.
::tern::Layout preferredBinaryLayout(DotIsa isa);

struct MatmulKernelSpec {
  DotIsa isa;
  ::tern::Layout layout;
  /// A matrix-vector kernel for one row of activations (decode): a taller
  /// tile of weight rows, so more independent weight streams and
  /// accumulators are in flight while the weights come from memory.
  bool gemv = false;
  /// Write f32 c = (f32(acc) * rowScale[i]) * colScale[j] (tern.dequantize
  /// of the product) instead of the i32 accumulators.
  bool dequantize = false;
  /// With dequantize: add residual[i, j] to each output (the residual add
  /// that follows a projection in a decoder layer).
  bool residual = false;
  /// With dequantize: one weight scale per row and group of `groupSize`
  /// consecutive k (#tern.scale<group = G>), 0 for one per row or tensor.
  /// G must be a multiple of the vector bytes (groupSizeSupported).
  int64_t groupSize = 0;
  /// 1-bit weights unpacked in registers (AVX-512): each sign bit selects
  /// its activation (a byte mask), summed by vpdpbusd with ones, instead of
  /// being shifted out as a 0/1 code (the same sums).
  bool maskSelect = false;

  /// A symbol-safe name for this spec, e.g. "avx512vnni_i2_256_lsb".
  std::string tag() const;
};

/// Whether the kernels of `isa` take scale groups of `groupSize` weights: a
/// multiple of a vector that divides, or is a multiple of, the k-step.
bool groupSizeSupported(DotIsa isa, const ::tern::Layout &layout,
                        int64_t groupSize);

/// Returns the kernel for `spec` in `module`, creating it (and the runtime
/// hook it calls) on first use.
func::FuncOp getOrCreateMatmulKernel(ModuleOp module,
                                     const MatmulKernelSpec &spec);

/// Name of the global function pointer the runtime fills with its
/// parallel-for: void (*)(void (*task)(void *, i64, i64), void *ctx, i64 n).
inline constexpr llvm::StringLiteral kParallelForGlobal = "__tern_parallel_for";

} // namespace mlir::tern

#endif // TERN_CONVERSION_TERNTOKERNELS_MATMULKERNEL_H
