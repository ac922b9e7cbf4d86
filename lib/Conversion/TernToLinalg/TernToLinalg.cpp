//===- TernToLinalg.cpp - tern element-wise ops to linalg -----------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// convert-tern-to-linalg: tern.bitlinear expands into quantize, matmul and
// dequantize; tern.quantize, tern.dequantize, tern.rms_norm and tern.rope become
// linalg.generic ops that compute exactly the f32 expressions in the ops'
// descriptions, in the same order, so quantization is bit-exact against the
// plain C++ reference (tern/Support/Quantization.h).
//
//===----------------------------------------------------------------------===//
#include "tern/Conversion/Passes.h"
#include "tern/Dialect/Tern/IR/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tern {
#define GEN_PASS_DEF_CONVERTTERNTOLINALGPASS
#include "tern/Conversion/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

/// An empty tensor shaped like `like` (its first `rank` dimensions).
Value emptyLike(OpBuilder &b, Location loc, Value like, int64_t rank,
                Type elementType) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, like);
  sizes.resize(rank);
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

Value f32Const(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

/// Identity map of `rank` dims, and the map that drops the last one.
AffineMap identity(MLIRContext *ctx, int64_t rank) {
  return AffineMap::getMultiDimIdentityMap(rank, ctx);
}
AffineMap dropLast(MLIRContext *ctx, int64_t rank) {
  return AffineMap::getMultiDimIdentityMap(rank, ctx).getMajorSubMap(rank - 1);
}

SmallVector<utils::IteratorType> iterators(int64_t rank, bool reduceLast) {
  SmallVector<utils::IteratorType> types(rank, utils::IteratorType::parallel);
  if (reduceLast)
    types.back() = utils::IteratorType::reduction;
  return types;
}

Value toF32(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
}

/// out[...] = combine(out[...], f(x[..., k])) over the last dimension of x,
/// starting from `init`.
Value reduceLast(OpBuilder &b, Location loc, Value x, double init,
                 function_ref<Value(OpBuilder &, Location, Value, Value)>
                     combine) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  Value empty = emptyLike(b, loc, x, rank - 1, b.getF32Type());
  Value filled =
      linalg::FillOp::create(b, loc, f32Const(b, loc, init), empty).result();
  return linalg::GenericOp::create(
             b, loc, filled.getType(), ValueRange{x}, ValueRange{filled},
             ArrayRef<AffineMap>{identity(ctx, rank), dropLast(ctx, rank)},
             iterators(rank, /*reduceLast=*/true),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value v = toF32(nb, nl, args[0]);
               linalg::YieldOp::create(nb, nl, combine(nb, nl, args[1], v));
             })
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// tern.quantize
//===----------------------------------------------------------------------===//

struct LowerQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getInput();
    int64_t rank = op.getInput().getType().getRank();
    Type f32 = rewriter.getF32Type();

    // m = max(max_k |x|, epsilon)
    Value absMax = reduceLast(
        rewriter, loc, x, 0.0, [](OpBuilder &b, Location l, Value acc, Value v) {
          return arith::MaximumFOp::create(b, l, acc,
                                           math::AbsFOp::create(b, l, v));
        });
    Value epsilon = arith::ConstantOp::create(rewriter, loc, op.getEpsilonAttr());
    // inverse = 127 / m (multiplier used to quantize), scale = m / 127.
    Value emptyRows = emptyLike(rewriter, loc, x, rank - 1, f32);
    auto scales = linalg::GenericOp::create(
        rewriter, loc, TypeRange{emptyRows.getType(), emptyRows.getType()},
        ValueRange{absMax}, ValueRange{emptyRows, emptyRows},
        ArrayRef<AffineMap>{identity(ctx, rank - 1), identity(ctx, rank - 1),
                            identity(ctx, rank - 1)},
        iterators(rank - 1, false),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value m = arith::MaximumFOp::create(b, l, args[0], epsilon);
          Value c127 = f32Const(b, l, 127.0);
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::DivFOp::create(b, l, c127, m),
                                             arith::DivFOp::create(b, l, m, c127)});
        });
    Value inverse = scales.getResult(0), scale = scales.getResult(1);

    // q = clamp(round_half_even(x * inverse), -128, 127)
    Value emptyQ = emptyLike(rewriter, loc, x, rank, rewriter.getI8Type());
    Value q =
        linalg::GenericOp::create(
            rewriter, loc, emptyQ.getType(), ValueRange{x, inverse},
            ValueRange{emptyQ},
            ArrayRef<AffineMap>{identity(ctx, rank), dropLast(ctx, rank),
                                identity(ctx, rank)},
            iterators(rank, false),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value v = arith::MulFOp::create(b, l, toF32(b, l, args[0]),
                                              args[1]);
              v = math::RoundEvenOp::create(b, l, v);
              v = arith::MaximumFOp::create(b, l, v, f32Const(b, l, -128.0));
              v = arith::MinimumFOp::create(b, l, v, f32Const(b, l, 127.0));
              linalg::YieldOp::create(
                  b, l, Value(arith::FPToSIOp::create(b, l, b.getI8Type(), v)));
            })
            .getResult(0);
    rewriter.replaceOp(op, {q, scale});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// tern.dequantize
//===----------------------------------------------------------------------===//

struct LowerDequantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = op.getInput().getType().getRank();
    SmallVector<Value> inputs = {op.getInput(), op.getRowScale()};
    SmallVector<AffineMap> maps = {identity(ctx, rank), dropLast(ctx, rank)};
    if (Value col = op.getColScale()) {
      inputs.push_back(col);
      maps.push_back(cast<ShapedType>(col.getType()).getRank() == 0
                         ? AffineMap::get(rank, 0, ctx)
                         : AffineMap::get(rank, 0,
                                          getAffineDimExpr(rank - 1, ctx)));
    }
    maps.push_back(identity(ctx, rank));
    Value empty = emptyLike(rewriter, loc, op.getInput(), rank,
                            rewriter.getF32Type());
    bool hasCol = op.getColScale() != nullptr;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, empty.getType(), inputs, ValueRange{empty}, maps,
        iterators(rank, false),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = arith::SIToFPOp::create(b, l, b.getF32Type(), args[0]);
          v = arith::MulFOp::create(b, l, v, args[1]);
          if (hasCol)
            v = arith::MulFOp::create(b, l, v, args[2]);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// tern.rms_norm
//===----------------------------------------------------------------------===//

struct LowerRmsNorm : OpRewritePattern<RmsNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RmsNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getInput();
    int64_t rank = op.getInput().getType().getRank();
    Type f32 = rewriter.getF32Type();

    Value sumSq = reduceLast(rewriter, loc, x, 0.0,
                             [](OpBuilder &b, Location l, Value acc, Value v) {
                               return arith::AddFOp::create(
                                   b, l, acc, arith::MulFOp::create(b, l, v, v));
                             });
    Value k = tensor::DimOp::create(rewriter, loc, x, rank - 1);
    k = arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), k);
    k = arith::SIToFPOp::create(rewriter, loc, f32, k);
    Value epsilon =
        arith::ConstantOp::create(rewriter, loc, op.getEpsilonAttr());
    // inverse = 1 / sqrt(sum / K + epsilon)
    Value emptyRows = emptyLike(rewriter, loc, x, rank - 1, f32);
    Value inverse =
        linalg::GenericOp::create(
            rewriter, loc, emptyRows.getType(), ValueRange{sumSq},
            ValueRange{emptyRows},
            ArrayRef<AffineMap>{identity(ctx, rank - 1),
                                identity(ctx, rank - 1)},
            iterators(rank - 1, false),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value mean = arith::DivFOp::create(b, l, args[0], k);
              Value root = math::SqrtOp::create(
                  b, l, arith::AddFOp::create(b, l, mean, epsilon));
              linalg::YieldOp::create(
                  b, l,
                  Value(arith::DivFOp::create(b, l, f32Const(b, l, 1.0), root)));
            })
            .getResult(0);
    // y = (x * inverse) * weight
    Value empty = emptyLike(rewriter, loc, x, rank, f32);
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, empty.getType(),
            ValueRange{x, inverse, op.getWeight()}, ValueRange{empty},
            ArrayRef<AffineMap>{
                identity(ctx, rank), dropLast(ctx, rank),
                AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx)),
                identity(ctx, rank)},
            iterators(rank, false),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value v = arith::MulFOp::create(b, l, args[0], args[1]);
              linalg::YieldOp::create(
                  b, l, Value(arith::MulFOp::create(b, l, v, args[2])));
            })
            .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// tern.rope
//===----------------------------------------------------------------------===//

/// y[t, h, i] = x[t, h, i] * cos(a) -+ x[t, h, partner(i)] * sin(a), with
/// a = positions[t] * (1 / theta^(2j / D)) for the pair index j of i, all in
/// f32 as Hugging Face's Llama rotary embedding computes it. The cos/sin of
/// each (token, pair) are computed once into a [T, D/2] table that every head
/// reads, not once per head.
struct LowerRope : OpRewritePattern<RopeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RopeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getInput();
    Value positions = op.getPositions();
    bool interleaved = op.getStyle() == RopeStyle::Interleaved;
    Type f32 = rewriter.getF32Type();
    Value headDim = tensor::DimOp::create(rewriter, loc, x, 2);
    Value half = arith::DivUIOp::create(
        rewriter, loc, headDim, arith::ConstantIndexOp::create(rewriter, loc, 2));
    float theta = op.getTheta().convertToFloat();
    auto toF32 = [&](OpBuilder &b, Location l, Value index) {
      Value v = arith::IndexCastOp::create(b, l, b.getI64Type(), index);
      return arith::SIToFPOp::create(b, l, f32, v);
    };

    // cos/sin[t, j] of positions[t] * inv_freq[j].
    SmallVector<OpFoldResult> tableSizes = {
        tensor::getMixedSize(rewriter, loc, x, 0), OpFoldResult(half)};
    Value table = tensor::EmptyOp::create(rewriter, loc, tableSizes, f32);
    auto tables = linalg::GenericOp::create(
        rewriter, loc, TypeRange{table.getType(), table.getType()},
        ValueRange{positions}, ValueRange{table, table},
        ArrayRef<AffineMap>{AffineMap::get(2, 0, getAffineDimExpr(0, ctx)),
                            identity(ctx, 2), identity(ctx, 2)},
        iterators(2, false), [&](OpBuilder &b, Location l, ValueRange args) {
          Value j = linalg::IndexOp::create(b, l, 1);
          // inv_freq = 1 / theta^(2j / D)
          Value exponent = arith::DivFOp::create(
              b, l, arith::MulFOp::create(b, l, toF32(b, l, j), f32Const(b, l, 2.0)),
              toF32(b, l, headDim));
          Value power = math::PowFOp::create(b, l, f32Const(b, l, theta), exponent);
          Value invFreq = arith::DivFOp::create(b, l, f32Const(b, l, 1.0), power);
          Value pos = args[0];
          pos = isa<IntegerType>(pos.getType())
                    ? Value(arith::SIToFPOp::create(b, l, f32, pos))
                    : pos;
          Value angle = arith::MulFOp::create(b, l, pos, invFreq);
          linalg::YieldOp::create(b, l,
                                  ValueRange{math::CosOp::create(b, l, angle),
                                             math::SinOp::create(b, l, angle)});
        });
    Value cosTable = tables.getResult(0), sinTable = tables.getResult(1);

    Value empty = emptyLike(rewriter, loc, x, 3, f32);
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, empty.getType(), ValueRange{}, ValueRange{empty},
            ArrayRef<AffineMap>{identity(ctx, 3)}, iterators(3, false),
            [&](OpBuilder &b, Location l, ValueRange) {
              Value t = linalg::IndexOp::create(b, l, 0);
              Value h = linalg::IndexOp::create(b, l, 1);
              Value i = linalg::IndexOp::create(b, l, 2);
              auto cIdx = [&](int64_t v) {
                return arith::ConstantIndexOp::create(b, l, v);
              };
              Value first, pair, partner;
              if (interleaved) {
                Value rem = arith::RemUIOp::create(b, l, i, cIdx(2));
                first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                              rem, cIdx(0));
                pair = arith::DivUIOp::create(b, l, i, cIdx(2));
                partner = arith::SelectOp::create(
                    b, l, first, arith::AddIOp::create(b, l, i, cIdx(1)),
                    arith::SubIOp::create(b, l, i, cIdx(1)));
              } else {
                first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                              i, half);
                pair = arith::SelectOp::create(
                    b, l, first, i, arith::SubIOp::create(b, l, i, half));
                partner = arith::SelectOp::create(
                    b, l, first, arith::AddIOp::create(b, l, i, half),
                    arith::SubIOp::create(b, l, i, half));
              }
              Value cos = tensor::ExtractOp::create(b, l, cosTable,
                                                    ValueRange{t, pair});
              Value sin = tensor::ExtractOp::create(b, l, sinTable,
                                                    ValueRange{t, pair});
              Value self = tensor::ExtractOp::create(b, l, x, ValueRange{t, h, i});
              Value other =
                  tensor::ExtractOp::create(b, l, x, ValueRange{t, h, partner});
              Value rotated = arith::MulFOp::create(b, l, other, sin);
              Value base = arith::MulFOp::create(b, l, self, cos);
              Value out = arith::SelectOp::create(
                  b, l, first, arith::SubFOp::create(b, l, base, rotated),
                  arith::AddFOp::create(b, l, base, rotated));
              linalg::YieldOp::create(b, l, out);
            })
            .getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// tern.bitlinear
//===----------------------------------------------------------------------===//

/// bitlinear(x, w, ws, bias) = dequantize(matmul(quantize(x), w), s, ws) + bias
/// for per-tensor and per-row weight scales.
struct ExpandBitLinear : OpRewritePattern<BitLinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BitLinearOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getGranularity().getGranularity() == ScaleGranularity::Group)
      return rewriter.notifyMatchFailure(op, "group scales are not expanded");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType = op.getInput().getType();
    auto weightType = op.getWeight().getType();
    auto qType =
        RankedTensorType::get(inputType.getShape(), rewriter.getI8Type());
    auto sType = RankedTensorType::get({inputType.getDimSize(0)},
                                       rewriter.getF32Type());
    auto quantize = QuantizeOp::create(rewriter, loc, qType, sType,
                                       op.getInput(), op.getEpsilonAttr());
    auto accType = RankedTensorType::get(
        {inputType.getDimSize(0), weightType.getDimSize(0)},
        rewriter.getI32Type());
    Value acc = MatmulOp::create(rewriter, loc, accType, quantize.getOutput(),
                                 op.getWeight(), op.getKindAttr(),
                                 op.getLayoutAttr());
    Value y = DequantizeOp::create(rewriter, loc, op.getOutput().getType(),
                                   acc, quantize.getScale(),
                                   op.getWeightScale());
    if (Value bias = op.getBias()) {
      Value empty = emptyLike(rewriter, loc, y, 2, rewriter.getF32Type());
      y = linalg::GenericOp::create(
              rewriter, loc, empty.getType(), ValueRange{y, bias},
              ValueRange{empty},
              ArrayRef<AffineMap>{identity(ctx, 2),
                                  AffineMap::get(2, 0, getAffineDimExpr(1, ctx)),
                                  identity(ctx, 2)},
              iterators(2, false),
              [&](OpBuilder &b, Location l, ValueRange args) {
                linalg::YieldOp::create(
                    b, l, Value(arith::AddFOp::create(b, l, args[0], args[1])));
              })
              .getResult(0);
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct ConvertTernToLinalgPass
    : public mlir::tern::impl::ConvertTernToLinalgPassBase<
          ConvertTernToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    if (failed(expandBitLinearOps(getOperation())))
      return signalPassFailure();

    RewritePatternSet patterns(ctx);
    populateTernToLinalgPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Report what could not be lowered, all at once.
    bool failed = false;
    getOperation().walk([&](Operation *op) {
      if (auto bitlinear = dyn_cast<BitLinearOp>(op)) {
        op->emitError() << "tern.bitlinear with " << bitlinear.getGranularity()
                        << " weight scales is lowered by convert-tern-to-kernels only";
        failed = true;
      }
    });
    if (failed)
      signalPassFailure();
  }
};

} // namespace

LogicalResult mlir::tern::expandBitLinearOps(Operation *root) {
  MLIRContext *ctx = root->getContext();
  // Expand bitlinear first, then merge the tern.quantize ops of a shared
  // input: q/k/v (and gate/up) quantize their activations once.
  RewritePatternSet expand(ctx);
  expand.add<ExpandBitLinear>(ctx);
  if (failed(applyPatternsGreedily(root, std::move(expand))))
    return failure();
  // Only the quantizations merge: a general CSE here would also merge the
  // bufferization.to_buffer reads of kernels lowered before this pass,
  // hiding later reads from the bufferization analysis.
  DominanceInfo dominance(root);
  SmallVector<QuantizeOp> quantizes;
  root->walk([&](QuantizeOp op) { quantizes.push_back(op); });
  llvm::DenseSet<Operation *> erased;
  for (QuantizeOp op : quantizes) {
    if (erased.contains(op))
      continue;
    for (Operation *user : llvm::make_early_inc_range(op.getInput().getUsers())) {
      auto other = dyn_cast<QuantizeOp>(user);
      if (!other || other == op ||
          other.getEpsilonAttr() != op.getEpsilonAttr() ||
          other->getResultTypes() != op->getResultTypes() ||
          !dominance.properlyDominates(op.getOperation(), other))
        continue;
      other->replaceAllUsesWith(op->getResults());
      erased.insert(other);
      other->erase();
    }
  }
  return success();
}

void mlir::tern::populateTernToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandBitLinear, LowerQuantize, LowerDequantize, LowerRmsNorm,
               LowerRope>(
      patterns.getContext());
}
