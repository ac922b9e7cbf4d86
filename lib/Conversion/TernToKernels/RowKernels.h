//===- RowKernels.h - Row-wise normalization and quantization ---*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Kernels that work on one row of activations (a token) at a time, with the
// rows split over the runtime's threads and each row in f32 vectors. One ABI
// for the variants, unused operands null:
//
//   void tern_<variant>(ptr x, i64 ldx, ptr g, ptr out, i64 ldout, ptr s,
//                       i64 m, i64 k, f32 normEpsilon, f32 quantEpsilon,
//                       i64 upOffset)
//
//   rms_norm           out[i, :] = f32 (x[i, :] * inv_i) * g      (tern.rms_norm)
//   quantize           out[i, :] = i8 q, s[i] = scale             (tern.quantize)
//   rms_norm_quantize  quantize(rms_norm(x, g)) in one pass over the row,
//                      the normalized row never written to memory
//   relu2_gated_...    any of the above of h[i, j] = max(x[i, j], 0)^2 *
//                      x[i, j + upOffset] instead of x: BitNet's squared-ReLU
//                      gate times the up projection, both halves of one
//                      stacked gate/up product, computed on the fly (h is
//                      never written to memory)
//
// with exactly the math of the ops' descriptions; only the order in which
// the sum of squares is added differs from a sequential loop (16 partial
// sums), as a vectorized reduction must.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_LIB_CONVERSION_TERNTOKERNELS_ROWKERNELS_H
#define TERN_LIB_CONVERSION_TERNTOKERNELS_ROWKERNELS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::tern {

struct RowKernelSpec {
  bool norm = false;     ///< RMS-normalize the row (with weights g)
  bool quantize = false; ///< then quantize it to int8 (else write f32)
  bool relu2Gated = false; ///< the row is relu(x)^2 * x[upOffset + ...]

  std::string name() const;
};

func::FuncOp getOrCreateRowKernel(ModuleOp module, const RowKernelSpec &spec);

} // namespace mlir::tern

#endif // TERN_LIB_CONVERSION_TERNTOKERNELS_ROWKERNELS_H
