//===- TernOps.cpp - tern operation verifiers -----------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Verifiers for every tern op. Shapes may be partly dynamic: a check is made
// wherever both sides are static, and the message always says which operand
// disagrees with which, and what was expected.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/IR/TernOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::tern;

#define GET_OP_CLASSES
#include "tern/Dialect/Tern/IR/TernOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

/// Two sizes agree unless both are static and differ.
static bool sizesAgree(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

static bool shapesAgree(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  return a.size() == b.size() && llvm::all_of(llvm::zip_equal(a, b), [](auto p) {
           return sizesAgree(std::get<0>(p), std::get<1>(p));
         });
}

/// Prints a shape as 4x?x8 (or "scalar" for rank 0).
static std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "[] (rank 0)";
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      },
      "x");
  return text;
}

static LogicalResult expectRank(Operation *op, StringRef name, ShapedType type,
                                int64_t rank) {
  if (type.getRank() != rank)
    return op->emitOpError() << "expects " << name << " of rank " << rank
                             << ", got " << type;
  return success();
}

static LogicalResult expectShape(Operation *op, StringRef name, ShapedType type,
                                 ArrayRef<int64_t> expected, StringRef why) {
  if (!shapesAgree(type.getShape(), expected))
    return op->emitOpError() << "expects " << name << " of shape "
                             << formatShape(expected) << " (" << why
                             << "), got " << type;
  return success();
}

/// Checks a weight-scale tensor against the granularity for an [n, k] matrix.
static LogicalResult verifyWeightScale(Operation *op, StringRef name,
                                       ScaleAttr granularity,
                                       ShapedType scaleType, int64_t n,
                                       int64_t k) {
  SmallVector<int64_t> expected = granularity.getScaleShape(n, k);
  std::string why;
  llvm::raw_string_ostream(why) << "one scale per "
                                << (granularity.getGranularity() ==
                                            ScaleGranularity::PerTensor
                                        ? "tensor"
                                    : granularity.getGranularity() ==
                                            ScaleGranularity::PerRow
                                        ? "output row"
                                        : "row and group of K")
                                << " for " << granularity;
  return expectShape(op, name, scaleType, expected, why);
}

/// The checks shared by tern.matmul and tern.bitlinear: [M, K] activations
/// times an [N, packed(K)] weight in `layout` holding `kind` values, giving
/// [M, N].
static LogicalResult verifyLowBitProduct(Operation *op, ShapedType lhs,
                                         ShapedType weight, ShapedType result,
                                         KindAttr kind, LayoutAttr layout) {
  if (failed(expectRank(op, "activations", lhs, 2)) ||
      failed(expectRank(op, "a weight", weight, 2)) ||
      failed(expectRank(op, "a result", result, 2)))
    return failure();
  if (!layout.getLayout().canHold(kind.getKind()))
    return op->emitOpError() << "layout " << layout << " cannot hold " << kind
                             << " weights";
  int64_t k = lhs.getDimSize(1);
  int64_t packedK = weight.getDimSize(1);
  int64_t expectedPacked = layout.getPackedRowBytes(k);
  if (!sizesAgree(packedK, expectedPacked)) {
    if (layout.isUnpacked())
      return op->emitOpError()
             << "K dimensions disagree: the activations have K = " << k
             << " but the weight rows have " << packedK;
    return op->emitOpError()
           << "K dimensions disagree: the activations have K = " << k
           << ", which " << layout << " packs into " << expectedPacked
           << " bytes per weight row, but the weight rows have " << packedK;
  }
  if (!sizesAgree(result.getDimSize(0), lhs.getDimSize(0)))
    return op->emitOpError() << "result has " << result.getDimSize(0)
                             << " rows but the activations have "
                             << lhs.getDimSize(0);
  if (!sizesAgree(result.getDimSize(1), weight.getDimSize(0)))
    return op->emitOpError() << "result has " << result.getDimSize(1)
                             << " columns but the weight has "
                             << weight.getDimSize(0) << " output rows (N)";
  return success();
}

/// The checks shared by tern.ternarize and tern.binarize.
static LogicalResult verifyWeightQuantization(Operation *op, ShapedType input,
                                              ShapedType values,
                                              ShapedType scale,
                                              ScaleAttr granularity) {
  if (failed(expectRank(op, "a weight matrix", input, 2)))
    return failure();
  if (failed(expectShape(op, "values", values, input.getShape(),
                         "the input's shape")))
    return failure();
  return verifyWeightScale(op, "the scale", granularity, scale,
                           input.getDimSize(0), input.getDimSize(1));
}

static LogicalResult verifyEpsilon(Operation *op, FloatAttr epsilon) {
  if (!(epsilon.getValueAsDouble() > 0.0))
    return op->emitOpError() << "expects a positive epsilon, got "
                             << epsilon.getValueAsDouble();
  return success();
}

//===----------------------------------------------------------------------===//
// Weight and activation quantization
//===----------------------------------------------------------------------===//

LogicalResult TernarizeOp::verify() {
  if (failed(verifyEpsilon(*this, getEpsilonAttr())))
    return failure();
  return verifyWeightQuantization(*this, getInput().getType(),
                                  getValues().getType(), getScale().getType(),
                                  getGranularity());
}

LogicalResult BinarizeOp::verify() {
  return verifyWeightQuantization(*this, getInput().getType(),
                                  getValues().getType(), getScale().getType(),
                                  getGranularity());
}

LogicalResult QuantizeOp::verify() {
  ShapedType input = getInput().getType();
  if (input.getRank() < 1)
    return emitOpError() << "expects an input of rank >= 1, got " << input;
  if (failed(verifyEpsilon(*this, getEpsilonAttr())) ||
      failed(expectShape(*this, "an output", getOutput().getType(),
                         input.getShape(), "the input's shape")))
    return failure();
  return expectShape(*this, "the scale", getScale().getType(),
                     input.getShape().drop_back(), "one scale per row");
}

LogicalResult DequantizeOp::verify() {
  ShapedType input = getInput().getType();
  if (input.getRank() < 1)
    return emitOpError() << "expects an input of rank >= 1, got " << input;
  if (failed(expectShape(*this, "an output", getOutput().getType(),
                         input.getShape(), "the input's shape")) ||
      failed(expectShape(*this, "a row scale", getRowScale().getType(),
                         input.getShape().drop_back(), "one scale per row")))
    return failure();
  if (Value colScale = getColScale()) {
    auto type = cast<ShapedType>(colScale.getType());
    if (type.getRank() != 0 &&
        failed(expectShape(*this, "a column scale", type,
                           {input.getShape().back()},
                           "scalar, or one scale per column")))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Packing
//===----------------------------------------------------------------------===//

/// Checks that `packed` is `unpacked` with its last dimension packed by
/// `layout`.
static LogicalResult verifyPacking(Operation *op, ShapedType unpacked,
                                   ShapedType packed, LayoutAttr layout,
                                   StringRef packedName) {
  if (unpacked.getRank() < 1)
    return op->emitOpError() << "expects tensors of rank >= 1, got "
                             << unpacked;
  if (packed.getRank() != unpacked.getRank())
    return op->emitOpError() << "expects the packed and unpacked tensors to "
                                "have the same rank, got "
                             << packed << " and " << unpacked;
  if (!shapesAgree(packed.getShape().drop_back(),
                   unpacked.getShape().drop_back()))
    return op->emitOpError()
           << "expects the packed and unpacked tensors to agree on all but "
              "the last dimension, got "
           << packed << " and " << unpacked;
  int64_t k = unpacked.getShape().back();
  int64_t expected = layout.getPackedRowBytes(k);
  if (!sizesAgree(packed.getShape().back(), expected))
    return op->emitOpError()
           << "layout " << layout << " packs K = " << k << " into " << expected
           << " bytes per row, but the " << packedName << " has "
           << packed.getShape().back();
  return success();
}

LogicalResult PackOp::verify() {
  return verifyPacking(*this, getInput().getType(), getOutput().getType(),
                       getLayout(), "result");
}

LogicalResult UnpackOp::verify() {
  return verifyPacking(*this, getOutput().getType(), getInput().getType(),
                       getLayout(), "input");
}

//===----------------------------------------------------------------------===//
// Low-bit linear algebra
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  return verifyLowBitProduct(*this, getLhs().getType(), getWeight().getType(),
                             getOutput().getType(), getKind(), getLayout());
}

LogicalResult BitLinearOp::verify() {
  ShapedType input = getInput().getType();
  ShapedType weight = getWeight().getType();
  if (failed(verifyEpsilon(*this, getEpsilonAttr())) ||
      failed(verifyLowBitProduct(*this, input, weight, getOutput().getType(),
                                 getKind(), getLayout())) ||
      failed(verifyWeightScale(*this, "a weight scale", getGranularity(),
                               getWeightScale().getType(),
                               weight.getDimSize(0), input.getDimSize(1))))
    return failure();
  if (Value bias = getBias())
    return expectShape(*this, "a bias", cast<ShapedType>(bias.getType()),
                       {weight.getDimSize(0)}, "one value per output row");
  return success();
}

LogicalResult LinearOp::verify() {
  ShapedType input = getInput().getType();
  ShapedType weight = getWeight().getType();
  ShapedType result = getOutput().getType();
  if (failed(expectRank(*this, "an input", input, 2)) ||
      failed(expectRank(*this, "a weight", weight, 2)) ||
      failed(expectRank(*this, "a result", result, 2)))
    return failure();
  if (!sizesAgree(input.getDimSize(1), weight.getDimSize(1)))
    return emitOpError() << "K dimensions disagree: the input has K = "
                         << input.getDimSize(1) << " but the weight rows have "
                         << weight.getDimSize(1);
  bool int8 = weight.getElementType().isInteger(8);
  if (int8 && !getScale())
    return emitOpError() << "int8 weights need a scale per row";
  if (!int8 && getScale())
    return emitOpError() << "a scale applies to int8 weights only";
  if (getScale() &&
      failed(expectShape(*this, "a scale",
                         cast<ShapedType>(getScale().getType()),
                         {weight.getDimSize(0)}, "one per weight row")))
    return failure();
  return expectShape(*this, "a result", result,
                     {input.getDimSize(0), weight.getDimSize(0)},
                     "[M, N] of the input and the weight");
}

//===----------------------------------------------------------------------===//
// Decoder building blocks
//===----------------------------------------------------------------------===//

LogicalResult RmsNormOp::verify() {
  ShapedType input = getInput().getType();
  if (input.getRank() < 1)
    return emitOpError() << "expects an input of rank >= 1, got " << input;
  if (!(getEpsilon().convertToDouble() >= 0.0))
    return emitOpError() << "expects a non-negative epsilon, got "
                         << getEpsilon().convertToDouble();
  if (failed(expectShape(*this, "a weight", getWeight().getType(),
                         {input.getShape().back()},
                         "the input's last dimension")))
    return failure();
  return expectShape(*this, "an output", getOutput().getType(),
                     input.getShape(), "the input's shape");
}

LogicalResult RopeOp::verify() {
  ShapedType input = getInput().getType();
  if (failed(expectRank(*this, "an input [tokens, heads, head_dim]", input, 3)))
    return failure();
  int64_t headDim = input.getDimSize(2);
  if (!ShapedType::isDynamic(headDim) && (headDim % 2 != 0 || headDim == 0))
    return emitOpError() << "expects an even, non-zero head dimension, got "
                         << headDim;
  if (!(getTheta().convertToDouble() > 0.0))
    return emitOpError() << "expects a positive theta, got "
                         << getTheta().convertToDouble();
  if (failed(expectShape(*this, "positions", getPositions().getType(),
                         {input.getDimSize(0)}, "one per token")))
    return failure();
  return expectShape(*this, "an output", getOutput().getType(),
                     input.getShape(), "the input's shape");
}

LogicalResult AttentionOp::verify() {
  ShapedType query = getQuery().getType();
  ShapedType key = getKey().getType();
  ShapedType value = getValue().getType();
  ShapedType keyCache = getKeyCache().getType();
  ShapedType valueCache = getValueCache().getType();
  if (failed(expectRank(*this, "a query [tokens, heads, head_dim]", query, 3)) ||
      failed(expectRank(*this, "a key [tokens, kv_heads, head_dim]", key, 3)) ||
      failed(expectRank(*this, "a key cache [kv_heads, capacity, head_dim]",
                        keyCache, 3)))
    return failure();
  int64_t tokens = query.getDimSize(0);
  int64_t heads = query.getDimSize(1);
  int64_t headDim = query.getDimSize(2);
  int64_t kvHeads = key.getDimSize(1);
  if (failed(expectShape(*this, "a key", key, {tokens, kvHeads, headDim},
                         "the query's tokens and head_dim")) ||
      failed(expectShape(*this, "a value", value, key.getShape(),
                         "the key's shape")) ||
      failed(expectShape(*this, "a key cache", keyCache,
                         {kvHeads, keyCache.getDimSize(1), headDim},
                         "[kv_heads, capacity, head_dim]")) ||
      failed(expectShape(*this, "a value cache", valueCache,
                         keyCache.getShape(), "the key cache's shape")))
    return failure();
  if (headDim == 0)
    return emitOpError() << "expects a non-zero head dimension";
  if (kvHeads == 0)
    return emitOpError() << "expects at least one key/value head";
  if (!ShapedType::isDynamic(heads) && !ShapedType::isDynamic(kvHeads) &&
      heads % kvHeads != 0)
    return emitOpError() << "expects the query heads (" << heads
                         << ") to be a multiple of the key/value heads ("
                         << kvHeads << ")";
  int64_t capacity = keyCache.getDimSize(1);
  if (!ShapedType::isDynamic(tokens) && !ShapedType::isDynamic(capacity) &&
      tokens > capacity)
    return emitOpError() << "appends " << tokens
                         << " tokens to a cache of capacity " << capacity;
  if (getPosition().getType().getRank() != 0)
    return emitOpError() << "expects a scalar (rank 0) position, got "
                         << getPosition().getType();
  if (std::optional<APFloat> scale = getScale();
      scale && !(scale->convertToDouble() > 0.0))
    return emitOpError() << "expects a positive scale, got "
                         << scale->convertToDouble();
  if (getOutput().getType() != query)
    return emitOpError() << "expects the output type to be the query type "
                         << query << ", got " << getOutput().getType();
  if (getNewKeyCache().getType() != keyCache)
    return emitOpError() << "expects the updated key cache to have the key "
                            "cache's type "
                         << keyCache << ", got " << getNewKeyCache().getType();
  if (getNewValueCache().getType() != valueCache)
    return emitOpError() << "expects the updated value cache to have the "
                            "value cache's type "
                         << valueCache << ", got "
                         << getNewValueCache().getType();
  return success();
}
