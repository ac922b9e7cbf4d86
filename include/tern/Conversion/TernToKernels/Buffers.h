//===- Buffers.h - Kernel calls on tensors: buffers, pointers, caches -*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// What the CPU and CUDA kernel conversions share: they replace tern ops on
// tensors by calls (or launches) on buffers, so they view tensors as buffers
// (bufferization binds them later), pass raw pointers and strides, and update
// the KV caches of tern.attention in place before the attention kernel runs;
// both fuse a residual add into the product before it.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_CONVERSION_TERNTOKERNELS_BUFFERS_H
#define TERN_CONVERSION_TERNTOKERNELS_BUFFERS_H

#include "tern/Dialect/Tern/IR/TernOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <utility>

namespace mlir::tern {

/// A read-only buffer view of a tensor with unit inner stride (other strides
/// and the offset as they come, so slices are not copied).
Value toBuffer(OpBuilder &b, Location loc, Value tensor);
/// A raw pointer to the first element of `buffer` (offset applied).
Value pointerOf(OpBuilder &b, Location loc, Value buffer);
/// pointerOf(buffer) and the stride of its outer dimension in elements (i64).
std::pair<Value, Value> pointerAndRowStride(OpBuilder &b, Location loc,
                                            Value buffer);
/// The stride of dimension `dim` of `buffer`, in elements, as i64.
Value strideAsI64(OpBuilder &b, Location loc, Value buffer, int64_t dim);
/// The size of dimension `dim` of `buffer` as i64.
Value dimAsI64(OpBuilder &b, Location loc, Value buffer, int64_t dim);

/// tern.attention's cache update, emitted before `op`: the new keys and
/// values inserted into the caches at the op's position when the tokens fit
/// (`inRange`), else the caches unchanged and __tern_error set. Sizes are
/// i64; `p0` is the position.
struct AttentionCaches {
  Value p0, tokens, heads, kvHeads, capacity, inRange;
  Value keyCache, valueCache;
};
AttentionCaches updateAttentionCaches(OpBuilder &b, AttentionOp op);

/// The linalg.add that is the only use of `result` (of `op`), adding a
/// tensor of the same type available where `op` is (a residual
/// connection); the other operand goes to `residual`. Null if there is none.
linalg::AddOp residualAddOf(Operation *op, Value result, Value &residual);
/// `add` (result + residual) after its sum was fused into the kernel that
/// now computes `result`: its users read that result instead.
void removeFusedAdd(linalg::AddOp add, Value residual);

} // namespace mlir::tern

#endif // TERN_CONVERSION_TERNTOKERNELS_BUFFERS_H
