//===- RecognizeTernary.cpp - Ternary float linears to integer matmuls ----===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// tern-recognize-ternary: an exported BitNet model computes its layers in
// float, y = ((f32(q) @ W^T) * s) [* ws], with q, s the fake-quantized
// activations (a tern.quantize once the importer has recognized it) and W a
// float matrix of ternary values times a magnitude. The float product of
// integers is exact, so the integer matmul computes the same numbers:
//
//   tern.linear(f32(q), W) * s  ==  tern.dequantize(tern.matmul(q, T), s, g)
//
// with T = W / g in {-1, 0, 1} (g one magnitude per row, or per matrix). The
// products are exact in f32 for K * 127 < 2^24; beyond that the integer sum
// is the more accurate of the two.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/IR/TernConstants.h"
#include "tern/Dialect/Tern/IR/TernOps.h"
#include "tern/Dialect/Tern/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <cstring>

namespace mlir::tern {
#define GEN_PASS_DEF_RECOGNIZETERNARYPASS
#include "tern/Dialect/Tern/Transforms/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

/// A float weight matrix split into ternary values and row magnitudes.
struct TernaryWeight {
  SmallVector<int8_t> values; ///< [N, K], row-major
  SmallVector<float> scales;  ///< [N]
  bool perTensor = true;      ///< every row's magnitude is the same
};

/// The ternary form of a constant [N, K] float matrix, or nullopt when a row
/// holds two different nonzero magnitudes (the layer is not ternary).
std::optional<TernaryWeight> ternaryWeight(Value weight, Value scale) {
  auto constant = weight.getDefiningOp<arith::ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(weight.getType());
  if (!constant || !type || type.getRank() != 2 || !type.hasStaticShape())
    return std::nullopt;
  if (scale) {
    // int8 weights with a scale per row (a DequantizeLinear the importer
    // folded): ternary when every value is -1, 0 or 1.
    auto scaleConstant = scale.getDefiningOp<arith::ConstantOp>();
    std::optional<SmallVector<char>> bytes =
        readConstantBytes(constant.getValue());
    std::optional<SmallVector<float>> scales =
        scaleConstant ? readFloatConstant(scaleConstant.getValue())
                      : std::nullopt;
    if (!type.getElementType().isInteger(8) || !bytes || !scales)
      return std::nullopt;
    TernaryWeight t;
    for (char c : *bytes) {
      if (c < -1 || c > 1)
        return std::nullopt;
      t.values.push_back(int8_t(c));
    }
    t.scales = *scales;
    for (float g : t.scales)
      t.perTensor &= g == t.scales[0];
    return t;
  }
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  if (!floatType || !(floatType.isF32() || floatType.isBF16() || floatType.isF16()))
    return std::nullopt;
  // Checked on the stored bits, in place, stopping at the first value that
  // is not ternary (an output head is hundreds of megabytes and never is):
  // with the sign bit cleared, every element of a row is 0 or one magnitude.
  SmallVector<char> copy;
  std::optional<ArrayRef<char>> bytes = viewConstantBytes(constant.getValue());
  if (!bytes) {
    std::optional<SmallVector<char>> read = readConstantBytes(constant.getValue());
    if (!read)
      return std::nullopt;
    copy = std::move(*read);
    bytes = ArrayRef<char>(copy);
  }
  unsigned width = floatType.getWidth();
  const APFloat::Semantics semantics = floatType.isF32()    ? APFloat::S_IEEEsingle
                                       : floatType.isBF16() ? APFloat::S_BFloat
                                                            : APFloat::S_IEEEhalf;
  uint32_t signBit = 1u << (width - 1);
  // All-ones exponent (inf, nan): not a weight magnitude.
  uint32_t infinity = floatType.isF32() ? 0x7f800000u : floatType.isBF16() ? 0x7f80u : 0x7c00u;
  auto bitsAt = [&](int64_t i) {
    uint32_t v = 0;
    std::memcpy(&v, bytes->data() + i * (width / 8), width / 8);
    return v;
  };
  int64_t n = type.getDimSize(0), k = type.getDimSize(1);
  TernaryWeight t;
  t.values.resize(size_t(n * k));
  t.scales.assign(size_t(n), 1.0f);
  for (int64_t row = 0; row < n; ++row) {
    uint32_t magnitude = 0;
    for (int64_t col = 0; col < k; ++col) {
      uint32_t bits = bitsAt(row * k + col), m = bits & ~signBit;
      int8_t &value = t.values[size_t(row * k + col)];
      if (m == 0) {
        value = 0;
        continue;
      }
      if ((m & infinity) == infinity || (magnitude != 0 && m != magnitude))
        return std::nullopt;
      magnitude = m;
      value = bits & signBit ? -1 : 1;
    }
    if (magnitude != 0)
      t.scales[size_t(row)] =
          APFloat(APFloat::EnumToSemantics(semantics), APInt(width, magnitude))
              .convertToFloat();
  }
  for (float g : t.scales)
    t.perTensor &= g == t.scales[0];
  return t;
}

Value skipReshapes(Value v) {
  while (true) {
    if (auto op = v.getDefiningOp<tensor::CollapseShapeOp>())
      v = op.getSrc();
    else if (auto op = v.getDefiningOp<tensor::ExpandShapeOp>())
      v = op.getSrc();
    else
      return v;
  }
}

/// The single-op body of an all-parallel linalg.generic with one result:
/// the op, if it is an `OpTy` on the block arguments.
template <typename OpTy>
OpTy elementwiseBody(linalg::GenericOp generic) {
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return {};
  Block &body = generic.getRegion().front();
  if (body.getOperations().size() != 2)
    return {};
  auto op = dyn_cast<OpTy>(body.front());
  auto yield = cast<linalg::YieldOp>(body.back());
  if (!op || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != op->getResult(0))
    return {};
  for (Value operand : op->getOperands())
    if (!isa<BlockArgument>(operand) ||
        cast<BlockArgument>(operand).getOwner() != &body)
      return {};
  return op;
}

/// The tern.quantize whose int8 values `x` holds, converted to f32 by an
/// element-wise sitofp and reshaped at most, in the same [M, K] shape.
QuantizeOp quantizedSource(Value x) {
  auto generic = skipReshapes(x).getDefiningOp<linalg::GenericOp>();
  auto convert = elementwiseBody<arith::SIToFPOp>(generic);
  if (!convert || generic.getNumDpsInputs() != 1 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return {};
  Value q = skipReshapes(generic.getDpsInputs()[0]);
  auto quantize = q.getDefiningOp<QuantizeOp>();
  if (!quantize || q != quantize.getOutput() ||
      quantize.getOutput().getType().getShape() !=
          cast<RankedTensorType>(x.getType()).getShape())
    return {};
  return quantize;
}

/// The one user of `v` other than tensor.dim ops (which only read its
/// shape), or null.
Operation *onlyValueUser(Value v) {
  Operation *found = nullptr;
  for (Operation *user : v.getUsers()) {
    if (isa<tensor::DimOp>(user))
      continue;
    if (found)
      return nullptr;
    found = user;
  }
  return found;
}

/// The user of `y` (through one expand_shape) that multiplies it by
/// `scale` broadcast along the last dim, and that expand_shape (or null).
linalg::GenericOp scaleMultiply(Value y, Value scale,
                                tensor::ExpandShapeOp &expand) {
  expand = {};
  Operation *user = onlyValueUser(y);
  if (!user)
    return {};
  Value shaped = y;
  if (auto e = dyn_cast<tensor::ExpandShapeOp>(user)) {
    expand = e;
    shaped = e.getResult();
    user = onlyValueUser(shaped);
    if (!user)
      return {};
  }
  auto generic = dyn_cast<linalg::GenericOp>(user);
  if (!elementwiseBody<arith::MulFOp>(generic) ||
      generic.getNumDpsInputs() != 2)
    return {};
  auto shapedType = cast<RankedTensorType>(shaped.getType());
  if (generic.getResult(0).getType() != shapedType)
    return {};
  int64_t rank = shapedType.getRank();
  for (int i = 0; i < 2; ++i) {
    OpOperand *mine = generic.getDpsInputOperand(i);
    OpOperand *other = generic.getDpsInputOperand(1 - i);
    if (mine->get() != shaped || skipReshapes(other->get()) != scale ||
        !generic.getMatchingIndexingMap(mine).isIdentity())
      continue;
    // The scale: [..., 1] read at [..., 0], the same leading dims.
    auto otherType = cast<RankedTensorType>(other->get().getType());
    AffineMap map = generic.getMatchingIndexingMap(other);
    if (otherType.getRank() != rank || otherType.getShape().back() != 1 ||
        map.getNumResults() != rank)
      continue;
    bool broadcastLast = true;
    for (int64_t d = 0; d + 1 < rank; ++d)
      broadcastLast &= map.getResult(d) == getAffineDimExpr(d, y.getContext());
    auto last = dyn_cast<AffineConstantExpr>(map.getResult(rank - 1));
    if (broadcastLast && last && last.getValue() == 0)
      return generic;
  }
  return {};
}

/// A scalar f32 constant multiplying `v` element-wise as its only use.
linalg::GenericOp constantMultiply(Value v, float &factor) {
  if (!v.hasOneUse())
    return {};
  auto generic = dyn_cast<linalg::GenericOp>(*v.user_begin());
  if (!elementwiseBody<arith::MulFOp>(generic) ||
      generic.getNumDpsInputs() != 2 || generic.getResult(0).getType() != v.getType())
    return {};
  for (int i = 0; i < 2; ++i) {
    OpOperand *mine = generic.getDpsInputOperand(i);
    OpOperand *other = generic.getDpsInputOperand(1 - i);
    DenseElementsAttr dense;
    if (mine->get() != v || !generic.getMatchingIndexingMap(mine).isIdentity() ||
        !matchPattern(other->get(), m_Constant(&dense)) || !dense.isSplat() ||
        !dense.getElementType().isF32())
      continue;
    factor = dense.getSplatValue<float>();
    return generic;
  }
  return {};
}

struct RecognizeTernaryPass
    : public mlir::tern::impl::RecognizeTernaryPassBase<RecognizeTernaryPass> {
  void runOnOperation() override {
    SmallVector<LinearOp> linears;
    getOperation()->walk([&](LinearOp op) { linears.push_back(op); });
    for (LinearOp op : linears)
      recognize(op);
    SmallVector<QuantizeOp> quantizes;
    getOperation()->walk([&](QuantizeOp op) { quantizes.push_back(op); });
    for (QuantizeOp op : quantizes)
      mergeSiblings(op);
    SmallVector<DequantizeOp> dequantizes;
    getOperation()->walk([&](DequantizeOp op) { dequantizes.push_back(op); });
    for (DequantizeOp op : dequantizes)
      residualAsMatrix(op);
  }

  /// A residual connection that adds a reshaped dequantized product element
  /// by element (h + expand(dequantize(...))) as the 2-D linalg.add that the
  /// matmul kernel fuses, reshaped after: the same sums.
  void residualAsMatrix(DequantizeOp op) {
    Value y = op.getOutput();
    if (!y.hasOneUse())
      return;
    auto expand = dyn_cast<tensor::ExpandShapeOp>(*y.user_begin());
    if (!expand || !expand.getResult().hasOneUse())
      return;
    auto add = dyn_cast<linalg::GenericOp>(*expand.getResult().user_begin());
    if (!elementwiseBody<arith::AddFOp>(add) || add.getNumDpsInputs() != 2 ||
        !llvm::all_of(add.getIndexingMapsArray(),
                      [](AffineMap m) { return m.isIdentity(); }))
      return;
    Value shaped = expand.getResult();
    Value residual = add.getDpsInputs()[0] == shaped ? add.getDpsInputs()[1]
                                                     : add.getDpsInputs()[0];
    if (residual == shaped || residual.getType() != shaped.getType() ||
        add.getResult(0).getType() != shaped.getType())
      return;
    OpBuilder b(add);
    Location loc = add.getLoc();
    Value residual2 = tensor::CollapseShapeOp::create(
        b, loc, y.getType(), residual, expand.getReassociationIndices());
    auto type = cast<RankedTensorType>(y.getType());
    SmallVector<Value> sizes;
    if (type.isDynamicDim(0))
      sizes.push_back(tensor::DimOp::create(b, loc, y, 0));
    Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                         type.getElementType(), sizes);
    Value sum = linalg::AddOp::create(b, loc, ValueRange{residual2, y},
                                      ValueRange{init})
                    .getResult(0);
    Value out = tensor::ExpandShapeOp::create(
        b, loc, expand.getResultType(), sum, expand.getReassociationIndices(),
        expand.getMixedOutputShape());
    add.getResult(0).replaceAllUsesWith(out);
    add.erase();
    expand.erase(); // the kernel fuses the add only into its product's one use
  }

  /// The layers that read one quantization (q, k and v; gate and up) as one
  /// matmul over their stacked weights, each layer's output a column slice
  /// of the result (as checkpoints' importers stack them): fewer, larger
  /// kernel calls.
  void mergeSiblings(QuantizeOp quantize) {
    struct Sibling {
      MatmulOp matmul;
      DequantizeOp dequantize;
      ElementsAttr weight;
      SmallVector<float> colScale; // one per column
    };
    SmallVector<Sibling> siblings;
    for (Operation *user : quantize.getOutput().getUsers()) {
      auto matmul = dyn_cast<MatmulOp>(user);
      if (!matmul || matmul.getLhs() != quantize.getOutput() ||
          matmul.getLayout().getLayout() != ::tern::Layout() ||
          !matmul.getOutput().hasOneUse())
        continue;
      auto dequantize = dyn_cast<DequantizeOp>(*matmul.getOutput().user_begin());
      auto weight = matmul.getWeight().getDefiningOp<arith::ConstantOp>();
      DenseElementsAttr colScale;
      if (!dequantize || !weight || !dequantize.getColScale() ||
          dequantize.getRowScale() != quantize.getScale() ||
          !matchPattern(dequantize.getColScale(), m_Constant(&colScale)))
        continue;
      int64_t n = matmul.getWeight().getType().getDimSize(0);
      SmallVector<float> perColumn;
      if (colScale.getType().getRank() == 0)
        perColumn.assign(size_t(n), colScale.getSplatValue<float>());
      else
        for (float v : colScale.getValues<float>())
          perColumn.push_back(v);
      siblings.push_back({matmul, dequantize,
                          cast<ElementsAttr>(weight.getValue()), perColumn});
    }
    if (siblings.size() < 2)
      return;
    // Program order: the first matmul is where the merged one goes.
    llvm::sort(siblings, [](const Sibling &a, const Sibling &b) {
      return a.matmul->isBeforeInBlock(b.matmul);
    });
    if (!llvm::all_of(siblings, [&](const Sibling &s) {
          return s.matmul->getBlock() == siblings[0].matmul->getBlock();
        }))
      return;
    int64_t k = siblings[0].matmul.getWeight().getType().getDimSize(1);
    SmallVector<char> stacked;
    SmallVector<float> scales;
    for (Sibling &s : siblings) {
      std::optional<SmallVector<char>> bytes = readConstantBytes(s.weight);
      if (!bytes || s.matmul.getWeight().getType().getDimSize(1) != k)
        return;
      stacked.append(*bytes);
      scales.append(s.colScale);
    }
    int64_t total = int64_t(scales.size());
    MLIRContext *ctx = quantize.getContext();
    OpBuilder b(siblings[0].matmul);
    Location loc = siblings[0].matmul.getLoc();
    auto weightType = RankedTensorType::get({total, k}, b.getI8Type());
    Value weight = arith::ConstantOp::create(
        b, loc, weightType, cast<TypedAttr>(makeConstant(weightType, stacked)));
    auto scaleType = RankedTensorType::get({total}, b.getF32Type());
    Value colScale = arith::ConstantOp::create(
        b, loc, scaleType, DenseElementsAttr::get(scaleType, ArrayRef<float>(scales)));
    auto lhsType = quantize.getOutput().getType();
    int64_t m = lhsType.getDimSize(0);
    Value acc = MatmulOp::create(
        b, loc, RankedTensorType::get({m, total}, b.getI32Type()),
        quantize.getOutput(), weight, siblings[0].matmul.getKindAttr(),
        LayoutAttr::get(ctx, ::tern::Layout()));
    Value all = DequantizeOp::create(
        b, loc, RankedTensorType::get({m, total}, b.getF32Type()), acc,
        quantize.getScale(), colScale);
    int64_t offset = 0;
    for (Sibling &s : siblings) {
      int64_t n = s.matmul.getWeight().getType().getDimSize(0);
      b.setInsertionPoint(s.dequantize);
      SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), b.getIndexAttr(offset)};
      SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, all, 0),
                                         b.getIndexAttr(n)};
      SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
      Value slice = tensor::ExtractSliceOp::create(
          b, loc, s.dequantize.getOutput().getType(), all, offsets, sizes,
          strides);
      s.dequantize.getOutput().replaceAllUsesWith(slice);
      s.dequantize.erase();
      s.matmul.erase();
      offset += n;
    }
  }

  void recognize(LinearOp op) {
    std::optional<TernaryWeight> ternary =
        ternaryWeight(op.getWeight(), op.getScale());
    if (!ternary)
      return;
    MLIRContext *ctx = op.getContext();
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    auto i8Type = RankedTensorType::get(weightType.getShape(), b.getI8Type());
    Value values = arith::ConstantOp::create(
        b, loc, i8Type,
        cast<TypedAttr>(makeConstant(
            i8Type, ArrayRef<char>(reinterpret_cast<const char *>(
                                       ternary->values.data()),
                                   ternary->values.size()))));

    QuantizeOp quantize = quantizedSource(op.getInput());
    tensor::ExpandShapeOp expand;
    linalg::GenericOp scaled =
        quantize ? scaleMultiply(op.getOutput(), quantize.getScale(), expand)
                 : linalg::GenericOp();
    if (!scaled && op.getScale())
      return; // float activations: already int8 weights with row scales
    if (!scaled) {
      // Float activations: int8 weights with their row scales.
      auto scaleType =
          RankedTensorType::get({weightType.getDimSize(0)}, b.getF32Type());
      Value scales = arith::ConstantOp::create(
          b, loc, scaleType,
          DenseElementsAttr::get(scaleType, ArrayRef<float>(ternary->scales)));
      op.getWeightMutable().assign(values);
      op.getScaleMutable().assign(scales);
      return;
    }

    // Integer matmul, rescaled by the token scale and the weight magnitude.
    float factor = 1.0f;
    linalg::GenericOp last = scaled;
    bool unitMagnitude = ternary->perTensor && ternary->scales[0] == 1.0f;
    if (unitMagnitude) {
      if (linalg::GenericOp times = constantMultiply(scaled.getResult(0), factor))
        last = times;
    }
    // Right after the product (and its reshape): what reads the shapes of
    // the values replaced comes later.
    b.setInsertionPointAfter(expand ? expand.getOperation() : op.getOperation());
    Value colScale;
    if (ternary->perTensor) {
      auto type = RankedTensorType::get({}, b.getF32Type());
      colScale = arith::ConstantOp::create(
          b, loc, type,
          DenseElementsAttr::get(type, unitMagnitude ? factor
                                                     : ternary->scales[0]));
    } else {
      auto type =
          RankedTensorType::get({weightType.getDimSize(0)}, b.getF32Type());
      colScale = arith::ConstantOp::create(
          b, loc, type, DenseElementsAttr::get(type, ArrayRef<float>(ternary->scales)));
    }
    auto resultType = cast<RankedTensorType>(op.getOutput().getType());
    Value acc = MatmulOp::create(
        b, loc, RankedTensorType::get(resultType.getShape(), b.getI32Type()),
        quantize.getOutput(), values,
        KindAttr::get(ctx, ::tern::WeightKind::Ternary),
        LayoutAttr::get(ctx, ::tern::Layout()));
    Value y = DequantizeOp::create(b, loc, resultType, acc, quantize.getScale(),
                                   colScale);
    if (expand)
      y = tensor::ExpandShapeOp::create(
          b, loc, expand.getResultType(), y, expand.getReassociationIndices(),
          expand.getMixedOutputShape());
    last.getResult(0).replaceAllUsesWith(y);
    if (last != scaled)
      last.erase();
    // What still reads the old values reads their shapes (tensor.dim), the
    // same as the new ones'.
    scaled.getResult(0).replaceAllUsesWith(y);
    scaled.erase();
    if (expand) {
      expand.getResult().replaceAllUsesWith(y);
      expand.erase();
    }
    op.getOutput().replaceAllUsesWith(
        y.getDefiningOp<tensor::ExpandShapeOp>()
            ? y.getDefiningOp<tensor::ExpandShapeOp>().getSrc()
            : y);
    op.erase();
  }
};

} // namespace
