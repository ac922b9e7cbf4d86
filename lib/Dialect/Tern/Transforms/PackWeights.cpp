//===- PackWeights.cpp - Pack constant low-bit weights --------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// tern-pack-weights: repacks the constant weight of every tern.matmul and
// tern.bitlinear into the requested layout at compile time. The weight's
// values are decoded with the op's current layout and re-encoded with the
// target one by the reference packers in tern/Support/Packing.h, so this pass
// and the runtime agree on every bit by construction.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/IR/TernConstants.h"
#include "tern/Dialect/Tern/IR/TernOps.h"
#include "tern/Dialect/Tern/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::tern {
#define GEN_PASS_DEF_PACKWEIGHTSPASS
#include "tern/Dialect/Tern/Transforms/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

struct PackWeightsPass
    : public mlir::tern::impl::PackWeightsPassBase<PackWeightsPass> {
  using PackWeightsPassBase::PackWeightsPassBase;

  LogicalResult initialize(MLIRContext *context) override {
    std::string error;
    target = parseLayoutSpec(context, layout, error);
    if (!target)
      return emitError(UnknownLoc::get(context))
             << "tern-pack-weights: invalid 'layout' option: " << error;
    if (!binaryLayout.empty() &&
        !(binaryTarget = parseLayoutSpec(context, binaryLayout, error)))
      return emitError(UnknownLoc::get(context))
             << "tern-pack-weights: invalid 'binary-layout' option: " << error;
    return success();
  }

  void runOnOperation() override;

private:
  /// Repacks the weight of one op; fails after reporting an error.
  template <typename OpTy>
  LogicalResult repack(OpTy op);

  LayoutAttr target, binaryTarget;
};

template <typename OpTy>
LogicalResult PackWeightsPass::repack(OpTy op) {
  LayoutAttr target =
      binaryTarget && op.getKind().isBinary() ? binaryTarget : this->target;
  if (Attribute wanted = op->removeAttr(kPackLayoutAttrName)) {
    target = dyn_cast<LayoutAttr>(wanted);
    if (!target)
      return op.emitError() << "'" << kPackLayoutAttrName
                            << "' must be a #tern.layout, got " << wanted;
  }
  LayoutAttr current = op.getLayout();
  if (current == target)
    return success();
  Attribute weightAttr;
  if (!matchPattern(op.getWeight(), m_Constant(&weightAttr)))
    return success(); // Only constants are packed at compile time.

  auto weightType = cast<RankedTensorType>(op.getWeight().getType());
  int64_t n = weightType.getDimSize(0);
  int64_t k = cast<ShapedType>(op->getOperand(0).getType()).getDimSize(1);
  if (!weightType.hasStaticShape() || ShapedType::isDynamic(k)) {
    op.emitRemark() << "weight left in " << current
                    << ": its shape is not static";
    return success();
  }
  if (!target.getLayout().canHold(op.getKind().getKind()))
    return op.emitError() << "cannot pack the " << op.getKind()
                          << " weights of this op into " << target;
  std::optional<SmallVector<char>> bytes = readConstantBytes(weightAttr);
  if (!bytes)
    return op.emitError() << "cannot read the bytes of the constant weight";

  SmallVector<int8_t> values(n * k);
  ::tern::unpackMatrix(current.getLayout(),
                       reinterpret_cast<const uint8_t *>(bytes->data()), n, k,
                       values.data());
  auto packedType = RankedTensorType::get({n, target.getPackedRowBytes(k)},
                                          weightType.getElementType());
  SmallVector<char> packed(packedType.getNumElements());
  int64_t bad = ::tern::packMatrix(target.getLayout(), values.data(), n, k,
                                   reinterpret_cast<uint8_t *>(packed.data()));
  if (bad >= 0)
    return op.emitError() << "weight value " << int(values[bad]) << " at ["
                          << bad / k << ", " << bad % k
                          << "] cannot be stored in " << target;

  OpBuilder builder(op);
  Value weight = arith::ConstantOp::create(
      builder, op.getWeight().getLoc(), packedType,
      makeConstant(packedType, packed, isResourceConstant(weightAttr)));
  Operation *old = op.getWeight().getDefiningOp();
  op.getWeightMutable().assign(weight);
  op.setLayoutAttr(target);
  if (old && old->use_empty())
    old->erase();
  return success();
}

void PackWeightsPass::runOnOperation() {
  MLIRContext *context = &getContext();
  // Fold pack/unpack chains on constants and absorb unpacks into their
  // consumers first, so every constant weight is visible as one constant.
  RewritePatternSet patterns(context);
  MatmulOp::getCanonicalizationPatterns(patterns, context);
  BitLinearOp::getCanonicalizationPatterns(patterns, context);
  if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
    return signalPassFailure();

  bool failed = false;
  getOperation()->walk([&](Operation *op) {
    LogicalResult result =
        llvm::TypeSwitch<Operation *, LogicalResult>(op)
            .Case<MatmulOp, BitLinearOp>([&](auto typed) { return repack(typed); })
            .Default([](Operation *) { return success(); });
    failed |= mlir::failed(result);
  });
  if (failed)
    signalPassFailure();
}

} // namespace
