//===- TernFolds.cpp - tern folders and canonicalization patterns ---------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Folds that are sound for every input:
//  * pack/unpack with the unpacked layout are identities;
//  * unpack(pack(x, L), L) is x (pack(unpack(p)) is not: p may hold i2 code 3
//    or non-zero padding, which a round trip normalizes);
//  * pack, unpack, ternarize and binarize of constants are computed at compile
//    time with the reference implementations in tern/Support.
// Canonicalization absorbs an unpack feeding tern.matmul / tern.bitlinear
// into the op's layout, so kernels read packed weights directly.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/IR/TernConstants.h"
#include "tern/Dialect/Tern/IR/TernOps.h"
#include "tern/Support/Packing.h"
#include "tern/Support/Quantization.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::tern;

static ::tern::ScaleGroups toScaleGroups(ScaleAttr attr) {
  switch (attr.getGranularity()) {
  case ScaleGranularity::PerTensor:
    return {::tern::ScaleGroups::PerTensor, 0};
  case ScaleGranularity::PerRow:
    return {::tern::ScaleGroups::PerRow, 0};
  case ScaleGranularity::Group:
    return {::tern::ScaleGroups::Group, attr.getGroupSize()};
  }
  return {};
}

/// Rows (product of all but the last dimension) and K of a static shape.
static std::pair<int64_t, int64_t> rowsAndK(ShapedType type) {
  int64_t k = type.getShape().back();
  return {k ? type.getNumElements() / k : 0, k};
}

//===----------------------------------------------------------------------===//
// pack / unpack
//===----------------------------------------------------------------------===//

OpFoldResult PackOp::fold(FoldAdaptor adaptor) {
  if (getLayout().isUnpacked() && getInput().getType() == getType())
    return getInput();
  ShapedType resultType = getType();
  if (!resultType.hasStaticShape())
    return {};
  std::optional<SmallVector<char>> bytes =
      readConstantBytes(adaptor.getInput());
  if (!bytes)
    return {};
  auto [rows, k] = rowsAndK(getInput().getType());
  SmallVector<char> packed(resultType.getNumElements());
  int64_t bad = ::tern::packMatrix(
      getLayout().getLayout(), reinterpret_cast<const int8_t *>(bytes->data()),
      rows, k, reinterpret_cast<uint8_t *>(packed.data()));
  if (bad >= 0)
    return {}; // tern-pack-weights reports the offending value.
  return makeConstant(resultType, packed,
                      isResourceConstant(adaptor.getInput()));
}

OpFoldResult UnpackOp::fold(FoldAdaptor adaptor) {
  if (getLayout().isUnpacked() && getInput().getType() == getType())
    return getInput();
  if (auto pack = getInput().getDefiningOp<PackOp>();
      pack && pack.getLayout() == getLayout() &&
      pack.getInput().getType() == getType())
    return pack.getInput();
  ShapedType resultType = getType();
  if (!resultType.hasStaticShape())
    return {};
  std::optional<SmallVector<char>> bytes =
      readConstantBytes(adaptor.getInput());
  if (!bytes)
    return {};
  auto [rows, k] = rowsAndK(resultType);
  SmallVector<char> values(resultType.getNumElements());
  ::tern::unpackMatrix(getLayout().getLayout(),
                       reinterpret_cast<const uint8_t *>(bytes->data()), rows,
                       k, reinterpret_cast<int8_t *>(values.data()));
  return makeConstant(resultType, values,
                      isResourceConstant(adaptor.getInput()));
}

//===----------------------------------------------------------------------===//
// ternarize / binarize
//===----------------------------------------------------------------------===//

/// Folds a weight quantization op on a constant matrix with `quantize`, which
/// fills the values and scales of an [n, k] matrix.
template <typename QuantizeFn>
static LogicalResult
foldWeightQuantization(Attribute input, ShapedType valuesType,
                       ShapedType scaleType,
                       SmallVectorImpl<OpFoldResult> &results,
                       QuantizeFn quantize) {
  if (!valuesType.hasStaticShape() || !scaleType.hasStaticShape())
    return failure();
  std::optional<SmallVector<float>> weights = readFloatConstant(input);
  if (!weights)
    return failure();
  int64_t n = valuesType.getDimSize(0), k = valuesType.getDimSize(1);
  SmallVector<int8_t> values(n * k);
  SmallVector<float> scales(scaleType.getNumElements());
  quantize(weights->data(), n, k, values.data(), scales.data());
  bool asResource = isResourceConstant(input);
  results.push_back(makeConstant(
      valuesType,
      ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                     values.size()),
      asResource));
  results.push_back(makeConstant(
      scaleType,
      ArrayRef<char>(reinterpret_cast<const char *>(scales.data()),
                     scales.size() * sizeof(float))));
  return success();
}

LogicalResult TernarizeOp::fold(FoldAdaptor adaptor,
                                SmallVectorImpl<OpFoldResult> &results) {
  ::tern::ScaleGroups groups = toScaleGroups(getGranularity());
  float epsilon = getEpsilon().convertToFloat();
  return foldWeightQuantization(
      adaptor.getInput(), getValues().getType(), getScale().getType(), results,
      [&](const float *w, int64_t n, int64_t k, int8_t *q, float *s) {
        ::tern::ternarize(w, n, k, groups, epsilon, q, s);
      });
}

LogicalResult BinarizeOp::fold(FoldAdaptor adaptor,
                               SmallVectorImpl<OpFoldResult> &results) {
  ::tern::ScaleGroups groups = toScaleGroups(getGranularity());
  return foldWeightQuantization(
      adaptor.getInput(), getValues().getType(), getScale().getType(), results,
      [&](const float *w, int64_t n, int64_t k, int8_t *q, float *s) {
        ::tern::binarize(w, n, k, groups, q, s);
      });
}

//===----------------------------------------------------------------------===//
// Canonicalization: absorb unpack into the consumer's layout
//===----------------------------------------------------------------------===//

namespace {
/// matmul(a, unpack(p, L)) with the unpacked layout -> matmul(a, p) in L, and
/// the same for bitlinear: the kernel then reads the packed bytes directly.
template <typename OpTy>
struct AbsorbUnpackedWeight : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!op.getLayout().isUnpacked())
      return failure();
    auto unpack = op.getWeight().template getDefiningOp<UnpackOp>();
    if (!unpack ||
        !unpack.getLayout().getLayout().canHold(op.getKind().getKind()))
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      op.getWeightMutable().assign(unpack.getInput());
      op.setLayoutAttr(unpack.getLayout());
    });
    return success();
  }
};
} // namespace

void MatmulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<AbsorbUnpackedWeight<MatmulOp>>(context);
}

void BitLinearOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<AbsorbUnpackedWeight<BitLinearOp>>(context);
}
