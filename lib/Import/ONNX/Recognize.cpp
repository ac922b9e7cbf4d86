//===- Recognize.cpp - BitNet subgraphs of ONNX graphs to tern ops --------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Exported BitNet models spell their building blocks out op by op. Before a
// node gets its generic lowering, the importer tries to read it as the root
// of one of these subgraphs and lowers the whole of it to the tern op that
// means the same:
//
//   activation quantization  Clip(Round(X * (127 / m)), -128, 127) with
//                            m = max(ReduceMax(|X|, last axis), eps)
//                            -> f32(tern.quantize(X)); Div(m, 127) -> its scale
//   RMSNorm                  X * (1 / sqrt(mean(X * X) + eps)) * w
//                            -> tern.rms_norm
//   MatMul by a constant     MatMul(A, W), W a 2-D initializer, or
//                            DequantizeLinear of an int8 one
//                            -> tern.linear (tern-recognize-ternary then
//                               finds the ternary ones)
//   causal attention         MatMul(Softmax(Where(future, -inf, Q K^T * c)), V)
//                            -> tern.attention over the KV cache (stateful
//                               entry points only)
//
// The nodes inside a subgraph are still lowered generically when other nodes
// read them; what nothing reads is dead and removed later. tern.quantize
// computes X * (127 / m), where the exported graph has X * (127 * (1 / m)):
// the two can differ by one unit in the last place before rounding, so a
// recognized model follows the Hugging Face checkpoint's numerics (the ones
// the numpy reference defines), not PyTorch's graph to the bit.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

#include "tern/Dialect/Tern/IR/TernConstants.h"
#include "tern/Dialect/Tern/IR/TernOps.h"
#include "tern/Support/Quantization.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tern;
using namespace mlir::tern::onnx_import::detail;

const onnx::NodeProto *Importer::producer(const std::string &name,
                                          llvm::StringRef type) const {
  auto it = producers.find(name);
  if (it == producers.end() || it->second->op_type() != type)
    return nullptr;
  return it->second;
}

std::optional<double> Importer::scalarConstant(const std::string &name) const {
  if (auto it = knownFloats.find(name);
      it != knownFloats.end() && it->second.size() == 1)
    return it->second[0];
  if (auto it = knownInts.find(name);
      it != knownInts.end() && it->second.size() == 1)
    return double(it->second[0]);
  return std::nullopt;
}

bool Importer::isLastAxisReduce(const onnx::NodeProto &node, Value x) {
  if (!x || attrInt(node, "keepdims", 1) != 1)
    return false;
  std::optional<SmallVector<int64_t>> axes =
      has(node, 1) ? (knownInts.count(inputName(node, 1))
                          ? std::optional(knownInts[inputName(node, 1)])
                          : std::nullopt)
                   : attrInts(node, "axes");
  int64_t rank = typeOf(x).getRank();
  return axes && axes->size() == 1 &&
         ((*axes)[0] == -1 || (*axes)[0] == rank - 1);
}

Value Importer::rows(Value x) {
  auto type = typeOf(x);
  int64_t rank = type.getRank();
  if (rank == 2)
    return x;
  if (rank == 1)
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, type.getDimSize(0)}, type.getElementType()),
        x, ArrayRef<ReassociationIndices>{{0, 1}});
  ReassociationIndices leading;
  int64_t count = 1;
  for (int64_t i = 0; i + 1 < rank; ++i) {
    leading.push_back(i);
    count = ShapedType::isDynamic(type.getDimSize(i)) ||
                    ShapedType::isDynamic(count)
                ? ShapedType::kDynamic
                : count * type.getDimSize(i);
  }
  return tensor::CollapseShapeOp::create(
      b, loc,
      RankedTensorType::get({count, type.getDimSize(rank - 1)},
                            type.getElementType()),
      x, ArrayRef<ReassociationIndices>{leading, {rank - 1}});
}

Value Importer::unrows(Value y, Value like, int64_t lastDim) {
  auto likeType = typeOf(like);
  int64_t rank = likeType.getRank();
  auto yType = typeOf(y);
  SmallVector<int64_t> shape(likeType.getShape());
  shape.back() = lastDim;
  auto type = RankedTensorType::get(shape, yType.getElementType());
  if (type == yType)
    return y;
  if (rank == 1)
    return tensor::CollapseShapeOp::create(
        b, loc, type, y, ArrayRef<ReassociationIndices>{{0, 1}});
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i + 1 < rank; ++i)
    sizes.push_back(tensor::getMixedSize(b, loc, like, i));
  sizes.push_back(b.getIndexAttr(lastDim));
  ReassociationIndices leading;
  for (int64_t i = 0; i + 1 < rank; ++i)
    leading.push_back(i);
  return tensor::ExpandShapeOp::create(
      b, loc, type, y, ArrayRef<ReassociationIndices>{leading, {rank - 1}},
      sizes);
}

bool Importer::recognize(const onnx::NodeProto &node) {
  llvm::StringRef op = node.op_type();
  if (op == "Clip")
    return activationQuant(node);
  if (op == "Mul")
    return rmsNorm(node);
  if (op == "MatMul")
    return linearMatMul(node) || causalAttention(node);
  if (op == "Div") {
    // Div(m, 127): the scale of a recognized quantization.
    auto it = quantScales.find(has(node, 0) ? inputName(node, 0) : "");
    std::optional<double> d =
        has(node, 1) ? scalarConstant(inputName(node, 1)) : std::nullopt;
    if (it == quantScales.end() || d != 127.0)
      return false;
    define(node, 0, it->second, onnx::TensorProto::FLOAT);
    return true;
  }
  if (op == "Range")
    return positionRange(node);
  return false;
}

//===----------------------------------------------------------------------===//
// Activation quantization
//===----------------------------------------------------------------------===//

/// m = Clip(ReduceMax(Abs(X), last axis, keepdims), eps) or Max(..., eps):
/// the clamped absmax of X's rows. Sets `x` and `epsilon`.
bool Importer::matchAbsmax(const std::string &m, std::string &x,
                           double &epsilon) {
  const onnx::NodeProto *clamp = producer(m, "Clip");
  if (!clamp)
    clamp = producer(m, "Max");
  if (!clamp || clamp->input_size() < 2 || inputName(*clamp, 1).empty())
    return false;
  if (clamp->op_type() == "Clip" && clamp->input_size() > 2 &&
      !inputName(*clamp, 2).empty())
    return false;
  std::optional<double> eps = scalarConstant(inputName(*clamp, 1));
  const onnx::NodeProto *max = producer(inputName(*clamp, 0), "ReduceMax");
  if (!eps || *eps < 0 || !max)
    return false;
  const onnx::NodeProto *abs = producer(inputName(*max, 0), "Abs");
  if (!abs)
    return false;
  auto it = values.find(inputName(*abs, 0));
  if (it == values.end() || !isLastAxisReduce(*max, it->second.value))
    return false;
  x = inputName(*abs, 0);
  epsilon = *eps;
  return true;
}

/// c = 127 / m, as Mul(Reciprocal(m), 127) (PyTorch's export of 127.0 / m)
/// or Div(127, m). Sets `m`.
bool Importer::matchInverseScale(const std::string &c, std::string &m) {
  if (const onnx::NodeProto *div = producer(c, "Div")) {
    if (scalarConstant(inputName(*div, 0)) != 127.0)
      return false;
    m = inputName(*div, 1);
    return true;
  }
  const onnx::NodeProto *mul = producer(c, "Mul");
  if (!mul || mul->input_size() != 2)
    return false;
  for (int i = 0; i < 2; ++i) {
    const onnx::NodeProto *recip = producer(inputName(*mul, i), "Reciprocal");
    if (recip && scalarConstant(mul->input(1 - i)) == 127.0) {
      m = inputName(*recip, 0);
      return true;
    }
  }
  return false;
}

bool Importer::activationQuant(const onnx::NodeProto &node) {
  if (node.input_size() != 3 || !has(node, 1) || !has(node, 2) ||
      scalarConstant(inputName(node, 1)) != -128.0 ||
      scalarConstant(inputName(node, 2)) != 127.0)
    return false;
  const onnx::NodeProto *round = producer(inputName(node, 0), "Round");
  const onnx::NodeProto *scaled =
      round ? producer(inputName(*round, 0), "Mul") : nullptr;
  if (!scaled || scaled->input_size() != 2)
    return false;
  for (int i = 0; i < 2; ++i) {
    std::string m, x;
    double epsilon = 0;
    if (!matchInverseScale(scaled->input(1 - i), m) ||
        !matchAbsmax(m, x, epsilon) || x != inputName(*scaled, i))
      continue;
    const Tensor &input = values[x];
    auto type = typeOf(input.value);
    if (!type.getElementType().isF32())
      return false;
    Value x2 = rows(input.value);
    auto x2Type = typeOf(x2);
    auto quantize = QuantizeOp::create(
        b, loc, RankedTensorType::get(x2Type.getShape(), b.getI8Type()),
        RankedTensorType::get({x2Type.getDimSize(0)}, b.getF32Type()), x2,
        b.getF32FloatAttr(float(epsilon)));
    Value q = unrows(quantize.getOutput(), input.value, type.getShape().back());
    std::optional<Value> asFloat = elementwise(
        node, {q}, b.getF32Type(), [&](OpBuilder &bb, Location l, ValueRange a) {
          return arith::SIToFPOp::create(bb, l, bb.getF32Type(), a[0]);
        });
    if (!asFloat)
      return false;
    define(node, 0, *asFloat, onnx::TensorProto::FLOAT);
    // The scale m / 127 with the rows' keepdims shape, for Div(m, 127).
    Value scale = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({x2Type.getDimSize(0), 1}, b.getF32Type()),
        quantize.getScale(), ArrayRef<ReassociationIndices>{{0, 1}});
    quantScales[m] = unrows(scale, input.value, 1);
    return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// RMSNorm
//===----------------------------------------------------------------------===//

/// r = 1 / sqrt(mean(X * X) + eps) as Reciprocal(Sqrt(...)) or
/// Div(1, Sqrt(...)); mean over the last axis of X * X or Pow(X, 2). Sets `x`
/// and `epsilon`.
bool Importer::matchInverseRms(std::string r, std::string &x,
                               double &epsilon) {
  std::string root;
  // PyTorch exports 1.0 / t as Reciprocal(t) * 1.0.
  if (const onnx::NodeProto *one = producer(r, "Mul");
      one && one->input_size() == 2)
    for (int i = 0; i < 2; ++i)
      if (scalarConstant(one->input(1 - i)) == 1.0 &&
          producer(inputName(*one, i), "Reciprocal"))
        r = inputName(*one, i);
  if (const onnx::NodeProto *recip = producer(r, "Reciprocal"))
    root = inputName(*recip, 0);
  else if (const onnx::NodeProto *div = producer(r, "Div");
           div && scalarConstant(inputName(*div, 0)) == 1.0)
    root = inputName(*div, 1);
  else
    return false;
  const onnx::NodeProto *sqrt = producer(root, "Sqrt");
  const onnx::NodeProto *add = sqrt ? producer(inputName(*sqrt, 0), "Add") : nullptr;
  if (!add || add->input_size() != 2)
    return false;
  for (int i = 0; i < 2; ++i) {
    std::optional<double> eps = scalarConstant(add->input(1 - i));
    const onnx::NodeProto *mean = producer(inputName(*add, i), "ReduceMean");
    if (!eps || *eps < 0 || !mean)
      continue;
    std::string squared;
    if (const onnx::NodeProto *mul = producer(inputName(*mean, 0), "Mul");
        mul && mul->input_size() == 2 && inputName(*mul, 0) == inputName(*mul, 1))
      squared = inputName(*mul, 0);
    else if (const onnx::NodeProto *pow = producer(inputName(*mean, 0), "Pow");
             pow && scalarConstant(inputName(*pow, 1)) == 2.0)
      squared = inputName(*pow, 0);
    auto it = values.find(squared);
    if (squared.empty() || it == values.end() ||
        !isLastAxisReduce(*mean, it->second.value))
      continue;
    x = squared;
    epsilon = *eps;
    return true;
  }
  return false;
}

bool Importer::rmsNorm(const onnx::NodeProto &node) {
  if (node.input_size() != 2)
    return false;
  for (int w = 0; w < 2; ++w) {
    // Mul(Mul(X, r), weight) in either order of either product.
    const onnx::NodeProto *normed = producer(node.input(1 - w), "Mul");
    auto weight = values.find(inputName(node, w));
    if (!normed || normed->input_size() != 2 || weight == values.end() ||
        !weight->second.value.getDefiningOp<arith::ConstantOp>())
      continue;
    for (int r = 0; r < 2; ++r) {
      std::string x;
      double epsilon = 0;
      if (!matchInverseRms(inputName(*normed, r), x, epsilon) ||
          x != normed->input(1 - r))
        continue;
      Value input = values[x].value;
      auto type = typeOf(input);
      auto wType = typeOf(weight->second.value);
      if (!type.getElementType().isF32() || !wType.getElementType().isF32() ||
          wType.getRank() != 1 ||
          wType.getDimSize(0) != type.getShape().back() ||
          ShapedType::isDynamic(wType.getDimSize(0)))
        return false;
      Value x2 = rows(input);
      Value y = RmsNormOp::create(b, loc, x2.getType(), x2,
                                  weight->second.value,
                                  b.getF32FloatAttr(float(epsilon)));
      define(node, 0, unrows(y, input, type.getShape().back()),
             onnx::TensorProto::FLOAT);
      return true;
    }
  }
  return false;
}

//===----------------------------------------------------------------------===//
// MatMul by a constant matrix
//===----------------------------------------------------------------------===//

/// The transpose [N, K] of a constant [K, N] matrix, as a resource the
/// weights passes can read (and the ternary recognition can scan).
TypedAttr Importer::transposedConstant(Value w, const std::string &name) {
  auto type = typeOf(w);
  auto attr = cast<ElementsAttr>(w.getDefiningOp<arith::ConstantOp>().getValue());
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  unsigned bytes = type.getElementType().getIntOrFloatBitWidth() / 8;
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocate(size_t(k * n) * bytes, /*align=*/64);
  char *out = blob.getMutableData().data();
  auto copy = [&](ArrayRef<char> in) {
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < n; ++j)
        std::memcpy(out + (j * k + i) * bytes, in.data() + (i * n + j) * bytes,
                    bytes);
  };
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    copy(resource.getRawHandle().getBlob()->getData());
  } else {
    auto dense = cast<DenseElementsAttr>(attr);
    if (dense.isSplat()) {
      ArrayRef<char> one = dense.getRawData();
      for (int64_t i = 0; i < k * n; ++i)
        std::memcpy(out + i * bytes, one.data(), bytes);
    } else {
      copy(dense.getRawData());
    }
  }
  auto resultType = RankedTensorType::get({n, k}, type.getElementType());
  return DenseResourceElementsAttr::get(resultType, name + ".T",
                                        std::move(blob));
}

/// MatMul(A, DequantizeLinear(W, scale[, 0])) with W a constant int8 [K, N]
/// matrix and one scale per tensor or per column: tern.linear over W's
/// transpose with one scale per row, the weights kept in int8
/// (tern-recognize-ternary finds the ternary ones).
bool Importer::dequantizedMatMul(const onnx::NodeProto &node,
                                 const onnx::NodeProto &dq) {
  auto a = values.find(inputName(node, 0)), w = values.find(inputName(dq, 0));
  auto scale = values.find(dq.input_size() > 1 ? inputName(dq, 1) : "");
  if (a == values.end() || w == values.end() || scale == values.end() ||
      w->second.dataType != onnx::TensorProto::INT8 ||
      !w->second.value.getDefiningOp<arith::ConstantOp>())
    return false;
  auto aType = typeOf(a->second.value), wType = typeOf(w->second.value);
  if (aType.getRank() < 2 || !aType.getElementType().isF32() ||
      wType.getRank() != 2 || !wType.hasStaticShape() ||
      aType.getShape().back() != wType.getDimSize(0))
    return false;
  int64_t n = wType.getDimSize(1);
  if (dq.input_size() > 2 && !inputName(dq, 2).empty()) {
    auto zp = values.find(inputName(dq, 2));
    DenseElementsAttr zeros;
    if (zp == values.end() ||
        !matchPattern(zp->second.value, m_Constant(&zeros)) ||
        llvm::any_of(zeros.getValues<APInt>(),
                     [](const APInt &v) { return !v.isZero(); }))
      return false;
  }
  auto scaleConstant = scale->second.value.getDefiningOp<arith::ConstantOp>();
  std::optional<SmallVector<float>> scales =
      scaleConstant ? readFloatConstant(scaleConstant.getValue()) : std::nullopt;
  if (!scales)
    return false;
  if (scales->size() == 1)
    scales->assign(size_t(n), (*scales)[0]);
  else if (int64_t(scales->size()) != n ||
           (attrInt(dq, "axis", 1) != 1 && attrInt(dq, "axis", 1) != -1))
    return false; // per-row scales of W would scale K, not the outputs
  TypedAttr &transposed = transposedWeights[inputName(dq, 0)];
  if (!transposed)
    transposed = transposedConstant(w->second.value, inputName(dq, 0));
  auto scaleType = RankedTensorType::get({n}, b.getF32Type());
  if (!lm.lifting && node.output(0) != graph.output(0).name())
    lm.layerMacs += n * wType.getDimSize(0);
  Value x2 = rows(a->second.value);
  Value y = LinearOp::create(
      b, loc,
      RankedTensorType::get({typeOf(x2).getDimSize(0), n}, b.getF32Type()), x2,
      arith::ConstantOp::create(b, loc, transposed.getType(), transposed),
      arith::ConstantOp::create(
          b, loc, scaleType,
          DenseElementsAttr::get(scaleType, ArrayRef<float>(*scales))));
  define(node, 0, unrows(y, a->second.value, n), onnx::TensorProto::FLOAT);
  return true;
}

bool Importer::linearMatMul(const onnx::NodeProto &node) {
  if (node.input_size() != 2)
    return false;
  if (const onnx::NodeProto *dq = producer(inputName(node, 1), "DequantizeLinear"))
    return dequantizedMatMul(node, *dq);
  // A bfloat16 / float16 matrix cast to float is read as it is stored:
  // tern.linear widens it exactly.
  std::string weightName = inputName(node, 1);
  if (const onnx::NodeProto *cast = producer(weightName, "Cast");
      cast && attrInt(*cast, "to", 0) == onnx::TensorProto::FLOAT) {
    auto narrow = values.find(inputName(*cast, 0));
    if (narrow != values.end() &&
        narrow->second.value.getDefiningOp<arith::ConstantOp>() &&
        (narrow->second.dataType == onnx::TensorProto::BFLOAT16 ||
         narrow->second.dataType == onnx::TensorProto::FLOAT16))
      weightName = inputName(*cast, 0);
  }
  auto a = values.find(inputName(node, 0)), w = values.find(weightName);
  if (a == values.end() || w == values.end() ||
      !w->second.value.getDefiningOp<arith::ConstantOp>())
    return false;
  auto aType = typeOf(a->second.value), wType = typeOf(w->second.value);
  Type wElem = wType.getElementType();
  if (aType.getRank() < 2 || !aType.getElementType().isF32() ||
      wType.getRank() != 2 || !wType.hasStaticShape() ||
      !(wElem.isF32() || wElem.isBF16() || wElem.isF16()) ||
      aType.getShape().back() != wType.getDimSize(0))
    return false;
  // The transposed copy is made once, whichever entry point asks.
  TypedAttr &transposed = transposedWeights[weightName];
  if (!transposed)
    transposed = transposedConstant(w->second.value, weightName);
  Value weight =
      arith::ConstantOp::create(b, loc, transposed.getType(), transposed);
  Value x2 = rows(a->second.value);
  int64_t n = wType.getDimSize(1), k = wType.getDimSize(0);
  bool isHead = lm.lifting && node.output(0) == graph.output(0).name();
  Value like = a->second.value;
  if (isHead && lm.lastOnly && aType.getRank() == 3) {
    // Generation needs the last position's logits only: the head runs on
    // the last row, and the output is [1, 1, vocab].
    Value last = arith::SubIOp::create(b, loc, dim(x2, 0),
                                       arith::ConstantIndexOp::create(b, loc, 1));
    SmallVector<OpFoldResult> offsets = {last, b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(k)};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    x2 = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({1, k}, b.getF32Type()), x2, offsets,
        sizes, strides);
    like = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, 1, k}, b.getF32Type()), x2,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  }
  if (!lm.lifting && node.output(0) != graph.output(0).name())
    lm.layerMacs += n * k; // the survey counts the layers' products
  auto yType =
      RankedTensorType::get({typeOf(x2).getDimSize(0), n}, b.getF32Type());
  Value y;
  if (isHead && headInt8) {
    // The logits' head as int8 rows, quantized as for checkpoints.
    auto &[values, scales] = int8Heads[weightName];
    if (!values) {
      std::optional<SmallVector<float>> floats = readFloatConstant(transposed);
      if (!floats)
        return false;
      AsmResourceBlob q = HeapAsmResourceBlob::allocate(size_t(n * k), 64);
      AsmResourceBlob s = HeapAsmResourceBlob::allocate(size_t(n) * 4, 64);
      ::tern::quantizeHeadRows(
          floats->data(), n, k,
          reinterpret_cast<int8_t *>(q.getMutableData().data()),
          reinterpret_cast<float *>(s.getMutableData().data()));
      values = DenseResourceElementsAttr::get(
          RankedTensorType::get({n, k}, b.getI8Type()),
          weightName + ".int8", std::move(q));
      scales = DenseResourceElementsAttr::get(
          RankedTensorType::get({n}, b.getF32Type()), weightName + ".scale",
          std::move(s));
    }
    y = LinearOp::create(b, loc, yType, x2,
                         arith::ConstantOp::create(b, loc, values.getType(), values),
                         arith::ConstantOp::create(b, loc, scales.getType(), scales));
  } else {
    y = LinearOp::create(b, loc, yType, x2, weight);
  }
  define(node, 0, unrows(y, like, n), onnx::TensorProto::FLOAT);
  return true;
}

//===----------------------------------------------------------------------===//
// Causal attention and positions (language models lifted to a KV cache)
//===----------------------------------------------------------------------===//

/// K before a grouped-query repeat: Reshape(Expand(Unsqueeze(K0, [2]),
/// [B, Hkv, rep, T, D]), [B, Hkv * rep, T, D]) gives K0; anything else is
/// its own K0.
std::string Importer::unrepeated(const std::string &k) const {
  const onnx::NodeProto *reshape = producer(k, "Reshape");
  const onnx::NodeProto *expand =
      reshape ? producer(inputName(*reshape, 0), "Expand") : nullptr;
  const onnx::NodeProto *unsqueeze =
      expand ? producer(inputName(*expand, 0), "Unsqueeze") : nullptr;
  if (!unsqueeze)
    return k;
  return inputName(*unsqueeze, 0);
}

bool Importer::causalAttention(const onnx::NodeProto &node) {
  // out = MatMul(Softmax(Where(mask, -inf, S)), V), S = MatMul(Q, K^T) * c.
  const onnx::NodeProto *softmax = producer(inputName(node, 0), "Softmax");
  const onnx::NodeProto *where =
      softmax ? producer(inputName(*softmax, 0), "Where") : nullptr;
  if (!where || where->input_size() != 3)
    return false;
  std::optional<double> fill = scalarConstant(inputName(*where, 1));
  if (!fill || !std::isinf(*fill) || *fill > 0)
    return false;
  // The mask: future positions, Trilu(upper, k = 1) of an all-ones [T, T].
  const onnx::NodeProto *maskCast = producer(inputName(*where, 0), "Cast");
  const onnx::NodeProto *trilu = producer(
      maskCast ? inputName(*maskCast, 0) : inputName(*where, 0), "Trilu");
  if (!trilu || attrInt(*trilu, "upper", 1) != 1 || trilu->input_size() < 2 ||
      scalarConstant(inputName(*trilu, 1)) != 1.0)
    return false;
  const onnx::NodeProto *ones = producer(inputName(*trilu, 0), "ConstantOfShape");
  if (!ones)
    return false;
  if (const onnx::AttributeProto *v = attr(*ones, "value")) {
    std::optional<Tensor> t = constantTensor(v->t(), ones->output(0) + ".value");
    auto dense = t ? dyn_cast<DenseElementsAttr>(
                         t->value.getDefiningOp<arith::ConstantOp>().getValue())
                   : DenseElementsAttr();
    if (!dense || dense.getNumElements() != 1 ||
        (isa<FloatType>(dense.getElementType())
             ? dense.getSplatValue<APFloat>().isZero()
             : dense.getSplatValue<APInt>().isZero()))
      return false;
  } else {
    return false; // the default fill is 0: nothing masked
  }
  // The scores and their scale.
  const onnx::NodeProto *scaled = producer(inputName(*where, 2), "Mul");
  const onnx::NodeProto *divided = producer(inputName(*where, 2), "Div");
  const onnx::NodeProto *qk = nullptr;
  std::optional<double> scale;
  if (scaled && scaled->input_size() == 2) {
    for (int i = 0; i < 2 && !qk; ++i)
      if ((qk = producer(inputName(*scaled, i), "MatMul")))
        scale = scalarConstant(scaled->input(1 - i));
  } else if (divided) {
    qk = producer(inputName(*divided, 0), "MatMul");
    if (std::optional<double> d = scalarConstant(inputName(*divided, 1)); d && *d != 0)
      scale = 1.0 / *d;
  }
  const onnx::NodeProto *kt =
      qk ? producer(inputName(*qk, 1), "Transpose") : nullptr;
  if (!scale || !kt || attrInts(*kt, "perm") != SmallVector<int64_t>{0, 1, 3, 2})
    return false;
  std::string qName = inputName(*qk, 0), kName = unrepeated(inputName(*kt, 0));
  std::string vName = unrepeated(inputName(node, 1));
  auto q = values.find(qName), k = values.find(kName), v = values.find(vName);
  if (q == values.end() || k == values.end() || v == values.end())
    return false;
  auto qType = typeOf(q->second.value), kType = typeOf(k->second.value),
       vType = typeOf(v->second.value);
  // [1, H, T, D] each, the same D, Hkv dividing Hq.
  auto heads = [](RankedTensorType t) { return t.getDimSize(1); };
  if (qType.getRank() != 4 || kType.getRank() != 4 || vType != kType ||
      qType.getDimSize(0) != 1 || kType.getDimSize(0) != 1 ||
      ShapedType::isDynamic(heads(qType)) || ShapedType::isDynamic(heads(kType)) ||
      ShapedType::isDynamic(qType.getDimSize(3)) ||
      qType.getDimSize(3) != kType.getDimSize(3) ||
      heads(qType) % heads(kType) != 0 || !qType.getElementType().isF32())
    return false;

  if (!lm.lifting) {
    // The survey: every layer's attention has one shape.
    if (lm.layers > 0 && (lm.heads != heads(qType) ||
                          lm.kvHeads != heads(kType) ||
                          lm.headDim != qType.getDimSize(3))) {
      lm.whyNot = "attention node '" + node.name() +
                  "' has another head count or size than the first";
      return false;
    }
    lm.heads = heads(qType);
    lm.kvHeads = heads(kType);
    lm.headDim = qType.getDimSize(3);
    ++lm.layers;
    return false;
  }
  if (lm.layer >= lm.layers) {
    problem(node, "more attention nodes than the survey found");
    return true;
  }
  // [1, H, T, D] -> [T, H, D] and back.
  auto toTokens = [&](Value x) {
    auto t = typeOf(x);
    Value h = tensor::CollapseShapeOp::create(
        b, loc,
        RankedTensorType::get({t.getDimSize(1), t.getDimSize(2), t.getDimSize(3)},
                              t.getElementType()),
        x, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    SmallVector<Value> sizes;
    if (t.isDynamicDim(2))
      sizes.push_back(dim(x, 2));
    Value init = empty({t.getDimSize(2), t.getDimSize(1), t.getDimSize(3)},
                       sizes, t.getElementType());
    return linalg::TransposeOp::create(b, loc, h, init,
                                       ArrayRef<int64_t>{1, 0, 2})
        .getResult()[0];
  };
  Value qt = toTokens(q->second.value), kt3 = toTokens(k->second.value),
        vt = toTokens(v->second.value);
  int64_t d = lm.headDim;
  auto sliceType =
      RankedTensorType::get({lm.kvHeads, lm.capacity, d}, b.getF32Type());
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(lm.layer), b.getIndexAttr(0),
                                       b.getIndexAttr(0), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(lm.kvHeads),
                                     b.getIndexAttr(lm.capacity), b.getIndexAttr(d)};
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  auto extract = [&](Value cache) {
    return tensor::ExtractSliceOp::create(b, loc, sliceType, cache, offsets,
                                          sizes, strides)
        .getResult();
  };
  auto attention = AttentionOp::create(
      b, loc, qt.getType(), sliceType, sliceType, qt, kt3, vt,
      extract(lm.keyCache), extract(lm.valueCache), lm.position,
      b.getF32FloatAttr(float(*scale)));
  lm.keyCache = tensor::InsertSliceOp::create(
      b, loc, attention.getNewKeyCache(), lm.keyCache, offsets, sizes, strides);
  lm.valueCache = tensor::InsertSliceOp::create(
      b, loc, attention.getNewValueCache(), lm.valueCache, offsets, sizes,
      strides);
  ++lm.layer;
  // [T, Hq, D] -> [1, Hq, T, D], the layout the graph continues with.
  Value out = attention.getOutput();
  auto outType = typeOf(out);
  SmallVector<Value> dynamicSizes;
  if (outType.isDynamicDim(0))
    dynamicSizes.push_back(dim(out, 0));
  Value init = empty({outType.getDimSize(1), outType.getDimSize(0), d},
                     dynamicSizes, b.getF32Type());
  Value heads3 = linalg::TransposeOp::create(b, loc, out, init,
                                             ArrayRef<int64_t>{1, 0, 2})
                     .getResult()[0];
  SmallVector<OpFoldResult> outSizes = {
      b.getIndexAttr(1), b.getIndexAttr(lm.heads),
      tensor::getMixedSize(b, loc, heads3, 1), b.getIndexAttr(d)};
  Value result = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({1, lm.heads, outType.getDimSize(0), d},
                                    b.getF32Type()),
      heads3, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}}, outSizes);
  define(node, 0, result, onnx::TensorProto::FLOAT);
  return true;
}

/// Range(0, T, 1) over the token input's sequence length: the positions,
/// which a lifted entry point starts at its `position` argument.
bool Importer::positionRange(const onnx::NodeProto &node) {
  if (!lm.lifting || node.input_size() != 3)
    return false;
  std::optional<SmallVector<SymInt>> start = symInts(inputName(node, 0)),
                                     limit = symInts(inputName(node, 1)),
                                     delta = symInts(inputName(node, 2));
  bool positions = start && limit && delta && start->size() == 1 &&
                   limit->size() == 1 && delta->size() == 1 &&
                   (*start)[0].isConstant() && (*start)[0].constant == 0 &&
                   (*delta)[0].isConstant() && (*delta)[0].constant == 1 &&
                   (*limit)[0].sequence;
  if (!positions) {
    if (limit && limit->size() == 1 && !(*limit)[0].isConstant())
      problem(node, "a range over a run-time length that is not the token "
                    "positions (0 to the sequence length, step 1) cannot be "
                    "lifted to a KV cache");
    return false;
  }
  std::optional<Tensor> t = input(node, 0);
  if (!t)
    return true;
  Value count = indexOf((*limit)[0]);
  Value p0 = arith::IndexCastOp::create(
      b, loc, b.getIndexType(),
      tensor::ExtractOp::create(b, loc, lm.position, ValueRange{}));
  Type elem = typeOf(t->value).getElementType();
  Value out = sequence(p0, indexOf(SymInt::of(1)), count, elem);
  if (auto limitValue = (*limit)[0]; limitValue.isConstant())
    out = tensor::CastOp::create(
        b, loc, RankedTensorType::get({limitValue.constant}, elem), out);
  define(node, 0, out, t->dataType);
  return true;
}

//===----------------------------------------------------------------------===//
// Lifted entry points
//===----------------------------------------------------------------------===//

bool Importer::surveyLanguageModel(const std::vector<GraphInput> &inputs) {
  // Token ids [1, T] or [T] in, logits [1, T, V] or [T, V] out.
  if (inputs.size() != 1 || graph.output_size() != 1)
    return false;
  const GraphInput &ids = inputs[0];
  int64_t rank = ids.type.getRank();
  if (!(ids.type.getElementType().isInteger(64) ||
        ids.type.getElementType().isInteger(32)) ||
      rank < 1 || rank > 2 || (rank == 2 && ids.type.getDimSize(0) != 1) ||
      !ids.type.isDynamicDim(rank - 1))
    return false;
  // Lower the graph once, as it is, to learn the attention shapes.
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(loc);
  b.setInsertionPointToEnd(scratch->getBody());
  auto func = func::FuncOp::create(b, loc, "survey",
                                   b.getFunctionType({ids.type}, {}));
  b.setInsertionPointToStart(func.addEntryBlock());
  values[ids.name] = {func.getArgument(0), ids.dataType};
  if (!importNodes()) {
    lm.whyNot.clear(); // the stateless import reports the problems
    return false;
  }
  auto out = values.find(graph.output(0).name());
  if (out == values.end())
    return false;
  auto outType = typeOf(out->second.value);
  if (!outType.getElementType().isF32() || outType.getRank() != rank + 1 ||
      !outType.isDynamicDim(rank - 1) || outType.isDynamicDim(rank))
    return false;
  if (lm.layers == 0) {
    lm.whyNot = "no causal attention found (MatMul(Softmax(Where(Trilu "
                "mask, -inf, Q K^T * scale)), V))";
    return false;
  }
  if (!lm.whyNot.empty())
    return false;
  lm.vocab = outType.getDimSize(rank);
  resetValues();
  return true;
}

bool Importer::buildLiftedEntry(ModuleOp module, llvm::StringRef name,
                                const GraphInput &ids,
                                std::optional<int64_t> tokens, bool lastOnly) {
  resetValues();
  int64_t t = tokens ? *tokens : ShapedType::kDynamic;
  auto tokenType = RankedTensorType::get({t}, b.getI32Type());
  auto positionType = RankedTensorType::get({}, b.getI64Type());
  auto cacheType = RankedTensorType::get(
      {lm.layers, lm.kvHeads, lm.capacity, lm.headDim}, b.getF32Type());
  auto logitsType =
      RankedTensorType::get({lastOnly ? 1 : t, lm.vocab}, b.getF32Type());
  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(
      b, loc, name,
      b.getFunctionType({tokenType, positionType, cacheType, cacheType},
                        {logitsType}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  lm.lifting = true;
  lm.lastOnly = lastOnly;
  lm.layer = 0;
  lm.tokens = entry->getArgument(0);
  lm.position = entry->getArgument(1);
  lm.keyCache = entry->getArgument(2);
  lm.valueCache = entry->getArgument(3);

  // The graph's ids: the tokens widened to its type, [1, T] when it is 2-D.
  Type idsElem = ids.type.getElementType();
  Value idsValue = lm.tokens;
  if (!idsElem.isInteger(32)) {
    SmallVector<Value> sizes;
    if (!tokens)
      sizes.push_back(dim(lm.tokens, 0));
    Value init = empty({t}, sizes, idsElem);
    idsValue = linalg::GenericOp::create(
                   b, loc, init.getType(), ValueRange{lm.tokens},
                   ValueRange{init},
                   SmallVector<AffineMap>(2, AffineMap::getMultiDimIdentityMap(1, ctx)),
                   SmallVector<utils::IteratorType>{utils::IteratorType::parallel},
                   [&](OpBuilder &bb, Location l, ValueRange a) {
                     linalg::YieldOp::create(
                         bb, l, Value(arith::ExtSIOp::create(bb, l, idsElem, a[0])));
                   })
                   .getResult(0);
  }
  if (ids.type.getRank() == 2) {
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1),
                                       tensor::getMixedSize(b, loc, idsValue, 0)};
    idsValue = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, t}, idsElem), idsValue,
        ArrayRef<ReassociationIndices>{{0, 1}}, sizes);
  }
  values[ids.name] = {idsValue, ids.dataType};
  idsInput = idsValue;
  if (!importNodes())
    return false;
  if (lm.layer != lm.layers) {
    problems.push_back(model.path + ": entry point '" + name.str() +
                       "' lowered " + std::to_string(lm.layer) +
                       " attention nodes, the survey found " +
                       std::to_string(lm.layers));
    return false;
  }
  Value logits = values[graph.output(0).name()].value;
  if (typeOf(logits).getRank() == 3)
    logits = tensor::CollapseShapeOp::create(
        b, loc,
        RankedTensorType::get({typeOf(logits).getDimSize(1), lm.vocab},
                              b.getF32Type()),
        logits, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  if (lastOnly) {
    Value rowsCount = tensor::DimOp::create(b, loc, logits, 0);
    Value last = arith::SubIOp::create(b, loc, rowsCount,
                                       arith::ConstantIndexOp::create(b, loc, 1));
    SmallVector<OpFoldResult> offsets = {last, b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1),
                                       b.getIndexAttr(lm.vocab)};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    if (typeOf(logits) != logitsType) // the head did not take the last row
      logits = tensor::ExtractSliceOp::create(b, loc, logitsType, logits,
                                              offsets, sizes, strides);
  }
  // The caches are the caller's state: write the updates back in place.
  bufferization::MaterializeInDestinationOp::create(b, loc, lm.keyCache,
                                                    entry->getArgument(2));
  bufferization::MaterializeInDestinationOp::create(b, loc, lm.valueCache,
                                                    entry->getArgument(3));
  func::ReturnOp::create(b, loc, logits);
  lm.lifting = false;
  idsInput = Value();
  return true;
}
