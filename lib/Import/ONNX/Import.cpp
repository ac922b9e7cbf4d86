//===- Import.cpp - ONNX models to tern / linalg IR -----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Nodes are visited in the graph's order (ONNX requires a topological one; an
// input named before it is produced is reported as undefined, which is also
// how a cycle shows). Every op lowers through a few builders: `elementwise`
// (numpy broadcasting, one linalg.generic), `contract` (MatMul / Gemm as a
// linalg.generic reduction), `reduce` (linalg.reduce), `reshape`
// (tensor.reshape) and tensor slicing. Small integer tensors that decide
// shapes are followed at import (SymInt): constants, or sizes a run-time
// sequence length gives (Shape, Gather, Concat, arithmetic), so Reshape,
// Expand, Slice, Range and ConstantOfShape work with a symbolic dim. Before
// its generic lowering a node is offered to the recognizers of
// Recognize.cpp; a causal language model's graph is lowered three times, as
// the KV-cache entry points.
//
//===----------------------------------------------------------------------===//
#include "Importer.h"

#include "tern/Dialect/Tern/IR/TernDialect.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <map>
#include <set>

using namespace mlir;
using namespace mlir::tern::onnx_import;
using namespace mlir::tern::onnx_import::detail;

Type mlir::tern::onnx_import::detail::elementType(MLIRContext *ctx,
                                                 int dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(ctx);
  case onnx::TensorProto::DOUBLE:
    return Float64Type::get(ctx);
  case onnx::TensorProto::FLOAT16:
    return Float16Type::get(ctx);
  case onnx::TensorProto::BFLOAT16:
    return BFloat16Type::get(ctx);
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
    return IntegerType::get(ctx, 8);
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
    return IntegerType::get(ctx, 16);
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return IntegerType::get(ctx, 32);
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return IntegerType::get(ctx, 64);
  case onnx::TensorProto::BOOL:
    return IntegerType::get(ctx, 1);
  default:
    return nullptr;
  }
}

bool mlir::tern::onnx_import::detail::isUnsigned(int dataType) {
  return dataType == onnx::TensorProto::UINT8 ||
         dataType == onnx::TensorProto::UINT16 ||
         dataType == onnx::TensorProto::UINT32 ||
         dataType == onnx::TensorProto::UINT64;
}


//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

Importer::NodeFn Importer::lookup(llvm::StringRef opType) {
  return llvm::StringSwitch<NodeFn>(opType)
      .Cases({"Neg", "Abs", "Exp", "Log", "Sqrt", "Reciprocal"}, &Importer::unary)
      .Cases({"Tanh", "Sigmoid", "Erf", "Relu", "Round", "Sign"}, &Importer::unary)
      .Cases({"Floor", "Ceil", "Not", "Sin", "Cos"}, &Importer::unary)
      .Cases({"Add", "Sub", "Mul", "Div", "Pow"}, &Importer::binary)
      .Cases({"Min", "Max", "Sum", "Mean"}, &Importer::variadic)
      .Cases({"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"}, &Importer::compare)
      .Cases({"And", "Or", "Xor"}, &Importer::logical)
      .Case("Where", &Importer::where)
      .Case("Clip", &Importer::clip)
      .Case("Cast", &Importer::castOp)
      .Cases({"Identity", "Dropout"}, &Importer::identity)
      .Case("Constant", &Importer::constant)
      .Case("ConstantOfShape", &Importer::constantOfShape)
      .Case("Shape", &Importer::shape)
      .Case("MatMul", &Importer::matmul)
      .Case("Gemm", &Importer::gemm)
      .Case("Transpose", &Importer::transpose)
      .Case("Reshape", &Importer::reshapeOp)
      .Case("Flatten", &Importer::flatten)
      .Case("Squeeze", &Importer::squeeze)
      .Case("Unsqueeze", &Importer::unsqueeze)
      .Cases({"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd"}, &Importer::reduceOp)
      .Cases({"Softmax", "LogSoftmax"}, &Importer::softmax)
      .Case("Concat", &Importer::concat)
      .Case("Slice", &Importer::slice)
      .Case("Split", &Importer::split)
      .Case("Gather", &Importer::gather)
      .Case("Expand", &Importer::expand)
      .Case("Range", &Importer::range)
      .Case("Trilu", &Importer::trilu)
      .Case("LayerNormalization", &Importer::layerNorm)
      .Case("QuantizeLinear", &Importer::quantizeLinear)
      .Case("DequantizeLinear", &Importer::dequantizeLinear)
      .Case("DynamicQuantizeLinear", &Importer::dynamicQuantizeLinear)
      .Case("MatMulInteger", &Importer::matmulInteger)
      .Case("CastLike", &Importer::castLike)
      .Default(nullptr);
}

bool Importer::checkOpsets(std::vector<std::string> &warnings) {
  for (const onnx::OperatorSetIdProto &entry : model.proto.opset_import()) {
    if (entry.domain().empty() || entry.domain() == "ai.onnx")
      opset = entry.version();
  }
  if (opset == 0) {
    problems.push_back(model.path +
                       ": the model imports no opset of the default domain");
    return false;
  }
  if (opset < kMinOpset || opset > kMaxOpset)
    warnings.push_back(model.path + ": opset " + std::to_string(opset) +
                       " of the default domain; Tern reads opsets " +
                       std::to_string(kMinOpset) + " to " +
                       std::to_string(kMaxOpset) +
                       " and takes each op's inputs and attributes as given");
  return true;
}

/// One error listing every unsupported op type with its count and nodes.
bool Importer::checkSupported() {
  std::map<std::string, std::vector<std::string>> unsupported;
  for (const onnx::NodeProto &node : graph.node()) {
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    if (!defaultDomain || !lookup(node.op_type())) {
      std::string op = defaultDomain ? node.op_type()
                                     : node.domain() + "::" + node.op_type();
      unsupported[op].push_back(node.name().empty() ? "<unnamed>"
                                                    : node.name());
    }
  }
  if (unsupported.empty())
    return true;
  std::string message = model.path + ": unsupported ops:";
  for (auto &[op, nodes] : unsupported) {
    message += "\n  " + op + " x" + std::to_string(nodes.size()) + ": ";
    for (size_t i = 0; i < nodes.size() && i < 5; ++i)
      message += (i ? ", " : "") + nodes[i];
    if (nodes.size() > 5)
      message += ", ...";
  }
  problems.push_back(message);
  return false;
}

//===----------------------------------------------------------------------===//
// Graph, values and constants
//===----------------------------------------------------------------------===//

std::optional<Tensor> Importer::constantTensor(const onnx::TensorProto &tensor,
                                               const std::string &name) {
  Type elem = elementType(ctx, tensor.data_type());
  if (!elem) {
    problems.push_back(model.path + ": tensor '" + name +
                       "' has unsupported element type " +
                       std::to_string(tensor.data_type()));
    return std::nullopt;
  }
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0) {
      problems.push_back(model.path + ": tensor '" + name +
                         "' has a negative dimension");
      return std::nullopt;
    }
    count *= d;
  }
  int64_t width = elem.isInteger(1) ? 8 : elem.getIntOrFloatBitWidth();
  std::string error;
  std::optional<ArrayRef<char>> bytes =
      model.tensorBytes(tensor, count * width / 8, error);
  if (!bytes) {
    problems.push_back(error);
    return std::nullopt;
  }
  auto type = RankedTensorType::get(shape, elem);
  TypedAttr attr;
  if (elem.isInteger(1)) {
    SmallVector<bool> flags;
    for (char c : *bytes)
      flags.push_back(c != 0);
    attr = DenseElementsAttr::get(type, ArrayRef<bool>(flags));
    if (count <= 64)
      knownInts[name] = SmallVector<int64_t>(flags.begin(), flags.end());
  } else if (count <= 16) {
    attr = DenseElementsAttr::getFromRawBuffer(type, *bytes);
  } else if (auto it = initializerAttrs.find(name);
             it != initializerAttrs.end() && it->second.getType() == type) {
    attr = it->second; // every entry point reads the same weights
  } else {
    AsmResourceBlob blob = UnmanagedAsmResourceBlob::allocateWithAlign(
        *bytes, /*align=*/1);
    attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
    initializerAttrs[name] = attr;
  }
  // Small integer tensors may be shapes, axes or indices.
  if (elem.isInteger(64) || elem.isInteger(32)) {
    if (count <= 64) {
      SmallVector<int64_t> ints;
      for (int64_t i = 0; i < count; ++i) {
        if (elem.isInteger(64)) {
          int64_t v;
          std::memcpy(&v, bytes->data() + 8 * i, 8);
          ints.push_back(v);
        } else {
          int32_t v;
          std::memcpy(&v, bytes->data() + 4 * i, 4);
          ints.push_back(v);
        }
      }
      knownInts[name] = ints;
    }
  } else if ((elem.isF32() || elem.isF64()) && count <= 64) {
    SmallVector<double> floats;
    for (int64_t i = 0; i < count; ++i) {
      if (elem.isF32()) {
        float v;
        std::memcpy(&v, bytes->data() + 4 * i, 4);
        floats.push_back(v);
      } else {
        double v;
        std::memcpy(&v, bytes->data() + 8 * i, 8);
        floats.push_back(v);
      }
    }
    knownFloats[name] = floats;
  }
  return Tensor{arith::ConstantOp::create(b, loc, type, attr),
                tensor.data_type()};
}

bool Importer::addInitializer(const onnx::TensorProto &tensor) {
  std::optional<Tensor> t = constantTensor(tensor, tensor.name());
  if (t)
    values[tensor.name()] = *t;
  return bool(t);
}

std::optional<Tensor> Importer::input(const onnx::NodeProto &node, int i) {
  if (!has(node, i)) {
    problem(node, "input #" + llvm::Twine(i) + " is missing");
    return std::nullopt;
  }
  auto it = values.find(inputName(node, i));
  if (it == values.end()) {
    // Made by a node that failed: that node's problem is the one to read.
    if (failed.count(inputName(node, i)))
      return std::nullopt;
    problem(node, "input '" + inputName(node, i) +
                      "' is not defined before this node (a missing "
                      "initializer, a dangling name or a cycle)");
    return std::nullopt;
  }
  return it->second;
}

void Importer::define(const onnx::NodeProto &node, int i, Value value,
                      int dataType) {
  if (i < node.output_size() && !node.output(i).empty())
    values[node.output(i)] = {value, dataType};
}

std::optional<SmallVector<Value>>
Importer::allInputs(const onnx::NodeProto &node, int &dataType) {
  SmallVector<Value> operands;
  for (int i = 0; i < node.input_size(); ++i) {
    std::optional<Tensor> t = input(node, i);
    if (!t)
      return std::nullopt;
    operands.push_back(t->value);
    dataType = t->dataType;
  }
  if (operands.empty()) {
    problem(node, "needs at least one input");
    return std::nullopt;
  }
  return operands;
}

std::optional<SmallVector<int64_t>>
Importer::constInts(const onnx::NodeProto &node, int i) {
  if (!has(node, i)) {
    problem(node, "input #" + llvm::Twine(i) + " is missing");
    return std::nullopt;
  }
  auto it = knownInts.find(inputName(node, i));
  if (it == knownInts.end()) {
    problem(node, "input '" + inputName(node, i) +
                      "' must be a constant integer tensor (an initializer, a "
                      "Constant or the Shape of a static tensor)");
    return std::nullopt;
  }
  return it->second;
}

std::optional<SmallVector<double>>
Importer::constFloats(const onnx::NodeProto &node, int i) {
  if (!has(node, i)) {
    problem(node, "input #" + llvm::Twine(i) + " is missing");
    return std::nullopt;
  }
  if (auto it = knownFloats.find(inputName(node, i)); it != knownFloats.end())
    return it->second;
  if (auto it = knownInts.find(inputName(node, i)); it != knownInts.end())
    return SmallVector<double>(it->second.begin(), it->second.end());
  problem(node, "input '" + inputName(node, i) + "' must be a constant");
  return std::nullopt;
}

std::optional<SmallVector<SymInt>>
Importer::symInts(const std::string &name) const {
  if (auto it = symbolicInts.find(name); it != symbolicInts.end())
    return it->second;
  if (auto it = knownInts.find(name); it != knownInts.end()) {
    SmallVector<SymInt> ints;
    for (int64_t v : it->second)
      ints.push_back(SymInt::of(v));
    return ints;
  }
  return std::nullopt;
}

void Importer::setSymInts(const std::string &name, ArrayRef<SymInt> ints) {
  // Constants are known ints; a constant sequence length (a decode entry
  // point's 1) is both, so the mark survives.
  bool marked = llvm::any_of(ints, [](const SymInt &s) { return s.sequence; });
  if (llvm::all_of(ints, [](const SymInt &s) { return s.isConstant(); })) {
    SmallVector<int64_t> values;
    for (const SymInt &s : ints)
      values.push_back(s.constant);
    knownInts[name] = values;
    if (!marked)
      return;
  }
  symbolicInts[name] = SmallVector<SymInt>(ints);
}

std::optional<SmallVector<SymInt>>
Importer::shapeInts(const onnx::NodeProto &node, int i) {
  if (!has(node, i)) {
    problem(node, "input #" + llvm::Twine(i) + " is missing");
    return std::nullopt;
  }
  if (std::optional<SmallVector<SymInt>> ints = symInts(inputName(node, i)))
    return ints;
  problem(node, "input '" + inputName(node, i) +
                    "' must be a constant integer tensor or computed from "
                    "tensor shapes (Shape, Gather, Concat, arithmetic)");
  return std::nullopt;
}

SymInt Importer::dimOf(Value v, int64_t i) {
  int64_t d = typeOf(v).getDimSize(i);
  SymInt s = ShapedType::isDynamic(d)
                 ? SymInt{0, tensor::DimOp::create(b, loc, v, i), true}
                 : SymInt::of(d);
  s.sequence = idsInput && v == idsInput && i == typeOf(v).getRank() - 1;
  return s;
}

Value Importer::indexOf(const SymInt &s) {
  if (s.isConstant())
    return arith::ConstantIndexOp::create(b, loc, s.constant);
  return s.value;
}

std::optional<SymInt> Importer::combine(llvm::StringRef op, const SymInt &x,
                                        const SymInt &y) {
  if (x.isConstant() && y.isConstant()) {
    int64_t u = x.constant, v = y.constant;
    if (op == "Add")
      return SymInt::of(u + v);
    if (op == "Sub")
      return SymInt::of(u - v);
    if (op == "Mul")
      return SymInt::of(u * v);
    if (op == "Div")
      return v == 0 ? std::nullopt : std::optional(SymInt::of(u / v));
    if (op == "Equal")
      return SymInt::of(u == v);
    if (op == "Less")
      return SymInt::of(u < v);
    if (op == "Greater")
      return SymInt::of(u > v);
    return std::nullopt;
  }
  // A size never equals, nor is less than, a negative constant (the -1s of
  // Expand's and Reshape's shape arithmetic).
  auto negative = [](const SymInt &s) {
    return s.isConstant() && s.constant < 0;
  };
  if ((op == "Equal" || op == "Less") && x.nonNegative && negative(y))
    return SymInt::of(0);
  if (op == "Equal" && y.nonNegative && negative(x))
    return SymInt::of(0);
  if (op == "Greater" && x.nonNegative && negative(y))
    return SymInt::of(1);
  if ((op == "Mul" && y.isConstant() && y.constant == 1) ||
      ((op == "Add" || op == "Sub") && y.isConstant() && y.constant == 0) ||
      (op == "Div" && y.isConstant() && y.constant == 1))
    return x;
  Value u = indexOf(x), v = indexOf(y);
  bool nonNegative = x.nonNegative && y.nonNegative;
  if (op == "Add")
    return SymInt{0, arith::AddIOp::create(b, loc, u, v), nonNegative};
  if (op == "Sub")
    return SymInt{0, arith::SubIOp::create(b, loc, u, v), false};
  if (op == "Mul")
    return SymInt{0, arith::MulIOp::create(b, loc, u, v), nonNegative};
  if (op == "Div" && y.isConstant() && y.constant != 0)
    return SymInt{0, arith::DivSIOp::create(b, loc, u, v), nonNegative};
  auto compare = [&](arith::CmpIPredicate p) {
    Value flag = arith::CmpIOp::create(b, loc, p, u, v);
    return SymInt{0, arith::IndexCastUIOp::create(b, loc, b.getIndexType(), flag),
                  true};
  };
  if (op == "Equal")
    return compare(arith::CmpIPredicate::eq);
  if (op == "Less")
    return compare(arith::CmpIPredicate::slt);
  if (op == "Greater")
    return compare(arith::CmpIPredicate::sgt);
  return std::nullopt;
}

void Importer::followElementwise(const onnx::NodeProto &node) {
  llvm::StringRef op = node.op_type();
  if (node.input_size() < 1 || node.output_size() < 1)
    return;
  SmallVector<SmallVector<SymInt>> operands;
  size_t count = 1;
  for (const std::string &name : node.input()) {
    std::optional<SmallVector<SymInt>> ints = symInts(name);
    if (!ints)
      return;
    if (ints->size() != 1) {
      if (count != 1 && count != ints->size())
        return;
      count = ints->size();
    }
    operands.push_back(*ints);
  }
  auto at = [&](size_t k, size_t i) -> const SymInt & {
    return operands[k].size() == 1 ? operands[k][0] : operands[k][i];
  };
  SmallVector<SymInt> out;
  for (size_t i = 0; i < count; ++i) {
    std::optional<SymInt> r;
    if (op == "Where" && operands.size() == 3) {
      const SymInt &c = at(0, i);
      if (c.isConstant())
        r = c.constant ? at(1, i) : at(2, i);
      else
        r = SymInt{0,
                   arith::SelectOp::create(
                       b, loc,
                       arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                             c.value, indexOf(SymInt::of(0))),
                       indexOf(at(1, i)), indexOf(at(2, i))),
                   at(1, i).nonNegative && at(2, i).nonNegative};
    } else if (operands.size() == 2) {
      r = combine(op, at(0, i), at(1, i));
    }
    if (!r)
      return;
    out.push_back(*r);
  }
  setSymInts(node.output(0), out);
}

const onnx::AttributeProto *Importer::attr(const onnx::NodeProto &node,
                                           llvm::StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t Importer::attrInt(const onnx::NodeProto &node, llvm::StringRef name,
                          int64_t dflt) const {
  const onnx::AttributeProto *a = attr(node, name);
  return a ? a->i() : dflt;
}

float Importer::attrFloat(const onnx::NodeProto &node, llvm::StringRef name,
                          float dflt) const {
  const onnx::AttributeProto *a = attr(node, name);
  return a ? a->f() : dflt;
}

std::optional<SmallVector<int64_t>>
Importer::attrInts(const onnx::NodeProto &node, llvm::StringRef name) const {
  const onnx::AttributeProto *a = attr(node, name);
  if (!a)
    return std::nullopt;
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

std::optional<int64_t> Importer::normalizeAxis(const onnx::NodeProto &node,
                                               int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) {
    problem(node, "axis " + llvm::Twine(axis) + " is out of range for rank " +
                      llvm::Twine(rank));
    return std::nullopt;
  }
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

Value Importer::dim(Value v, int64_t i) {
  int64_t d = typeOf(v).getDimSize(i);
  if (!ShapedType::isDynamic(d))
    return arith::ConstantIndexOp::create(b, loc, d);
  return tensor::DimOp::create(b, loc, v, i);
}

Value Importer::empty(ArrayRef<int64_t> shape, ArrayRef<Value> dynamicSizes,
                      Type elem) {
  return tensor::EmptyOp::create(b, loc, shape, elem, dynamicSizes);
}

Value Importer::splat(Type elem, double value) {
  if (isa<FloatType>(elem))
    return arith::ConstantOp::create(b, loc, FloatAttr::get(elem, value));
  return arith::ConstantOp::create(b, loc,
                                   IntegerAttr::get(elem, int64_t(value)));
}

std::optional<Value> Importer::elementwise(const onnx::NodeProto &node,
                                           ArrayRef<Value> operands,
                                           Type resultElem, Body body) {
  int64_t rank = 0;
  for (Value v : operands)
    rank = std::max(rank, typeOf(v).getRank());
  SmallVector<int64_t> shape(rank, 1);
  SmallVector<Value> sources(rank); // an operand giving each dynamic size
  SmallVector<int64_t> sourceDims(rank);
  for (Value v : operands) {
    auto type = typeOf(v);
    for (int64_t i = 0; i < type.getRank(); ++i) {
      int64_t j = rank - type.getRank() + i, d = type.getDimSize(i);
      if (d == 1)
        continue;
      if (shape[j] == 1 || ShapedType::isDynamic(shape[j])) {
        if (ShapedType::isDynamic(shape[j]) && ShapedType::isDynamic(d))
          continue;
        shape[j] = d;
        sources[j] = v;
        sourceDims[j] = i;
      } else if (!ShapedType::isDynamic(d) && d != shape[j]) {
        problem(node, "operand shapes do not broadcast (" +
                          llvm::Twine(d) + " against " +
                          llvm::Twine(shape[j]) + ")");
        return std::nullopt;
      }
    }
  }
  SmallVector<Value> dynamicSizes;
  for (int64_t j = 0; j < rank; ++j)
    if (ShapedType::isDynamic(shape[j]))
      dynamicSizes.push_back(
          tensor::DimOp::create(b, loc, sources[j], sourceDims[j]));
  SmallVector<AffineMap> maps;
  for (Value v : operands) {
    auto type = typeOf(v);
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      int64_t j = rank - type.getRank() + i;
      exprs.push_back(type.getDimSize(i) == 1 && shape[j] != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(j, ctx));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  Value init = empty(shape, dynamicSizes, resultElem);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto op = linalg::GenericOp::create(
      b, loc, init.getType(), operands, ValueRange{init}, maps, iterators,
      [&](OpBuilder &bb, Location l, ValueRange args) {
        linalg::YieldOp::create(bb, l, body(bb, l, args.drop_back()));
      });
  return op.getResult(0);
}

Value Importer::castElement(OpBuilder &bb, Location l, Value v, Type to,
                            bool fromUnsigned, bool toUnsigned) {
  Type from = v.getType();
  if (from == to)
    return v;
  auto fromF = dyn_cast<FloatType>(from), toF = dyn_cast<FloatType>(to);
  if (fromF && toF)
    return fromF.getWidth() < toF.getWidth()
               ? Value(arith::ExtFOp::create(bb, l, to, v))
               : Value(arith::TruncFOp::create(bb, l, to, v));
  if (fromF) {
    if (to.isInteger(1))
      return arith::CmpFOp::create(bb, l, arith::CmpFPredicate::UNE, v,
                                   arith::ConstantOp::create(
                                       bb, l, FloatAttr::get(from, 0.0)));
    return toUnsigned ? Value(arith::FPToUIOp::create(bb, l, to, v))
                      : Value(arith::FPToSIOp::create(bb, l, to, v));
  }
  if (toF)
    return fromUnsigned || from.isInteger(1)
               ? Value(arith::UIToFPOp::create(bb, l, to, v))
               : Value(arith::SIToFPOp::create(bb, l, to, v));
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (to.isInteger(1))
    return arith::CmpIOp::create(
        bb, l, arith::CmpIPredicate::ne, v,
        arith::ConstantOp::create(bb, l, IntegerAttr::get(from, 0)));
  if (fw > tw)
    return arith::TruncIOp::create(bb, l, to, v);
  return fromUnsigned || from.isInteger(1)
             ? Value(arith::ExtUIOp::create(bb, l, to, v))
             : Value(arith::ExtSIOp::create(bb, l, to, v));
}

Value Importer::reduce(Value x, ArrayRef<int64_t> axes, bool keepDims,
                       Combine kind) {
  auto type = typeOf(x);
  Type elem = type.getElementType();
  bool isFloat = isa<FloatType>(elem);
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (llvm::is_contained(axes, i))
      continue;
    shape.push_back(type.getDimSize(i));
    if (type.isDynamicDim(i))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, x, i));
  }
  double start = 0;
  switch (kind) {
  case Combine::Sum:
    start = 0;
    break;
  case Combine::Prod:
    start = 1;
    break;
  case Combine::Max:
    start = isFloat ? -std::numeric_limits<double>::infinity()
                    : double(std::numeric_limits<int64_t>::min());
    break;
  case Combine::Min:
    start = isFloat ? std::numeric_limits<double>::infinity()
                    : double(std::numeric_limits<int64_t>::max());
    break;
  }
  Value initValue;
  if (!isFloat && (kind == Combine::Max || kind == Combine::Min)) {
    unsigned width = elem.getIntOrFloatBitWidth();
    APInt v = kind == Combine::Max ? APInt::getSignedMinValue(width)
                                   : APInt::getSignedMaxValue(width);
    initValue = arith::ConstantOp::create(b, loc, IntegerAttr::get(elem, v));
  } else {
    initValue = splat(elem, start);
  }
  Value init = linalg::FillOp::create(b, loc, initValue,
                                      empty(shape, dynamicSizes, elem))
                   .getResult(0);
  auto op = linalg::ReduceOp::create(
      b, loc, ValueRange{x}, ValueRange{init}, axes,
      [&](OpBuilder &bb, Location l, ValueRange args) {
        Value in = args[0], acc = args[1], out;
        switch (kind) {
        case Combine::Sum:
          out = isFloat ? Value(arith::AddFOp::create(bb, l, in, acc))
                        : Value(arith::AddIOp::create(bb, l, in, acc));
          break;
        case Combine::Prod:
          out = isFloat ? Value(arith::MulFOp::create(bb, l, in, acc))
                        : Value(arith::MulIOp::create(bb, l, in, acc));
          break;
        case Combine::Max:
          out = isFloat ? Value(arith::MaximumFOp::create(bb, l, in, acc))
                        : Value(arith::MaxSIOp::create(bb, l, in, acc));
          break;
        case Combine::Min:
          out = isFloat ? Value(arith::MinimumFOp::create(bb, l, in, acc))
                        : Value(arith::MinSIOp::create(bb, l, in, acc));
          break;
        }
        linalg::YieldOp::create(bb, l, out);
      });
  Value result = op.getResult(0);
  if (!keepDims)
    return result;
  SmallVector<int64_t> kept;
  for (int64_t i = 0; i < type.getRank(); ++i)
    kept.push_back(llvm::is_contained(axes, i) ? 1 : type.getDimSize(i));
  return reshape(result, kept);
}

/// `shape` may hold dynamic sizes (ShapedType::kDynamic) only where `x`'s
/// dims in order carry them over (a dynamic dim kept in place).
Value Importer::reshape(Value x, ArrayRef<int64_t> shape) {
  auto type = typeOf(x);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (resultType == type)
    return x;
  SmallVector<Value> sizes;
  int64_t nextDynamic = 0;
  for (int64_t d : shape) {
    if (!ShapedType::isDynamic(d)) {
      sizes.push_back(arith::ConstantIndexOp::create(b, loc, d));
      continue;
    }
    while (nextDynamic < type.getRank() && !type.isDynamicDim(nextDynamic))
      ++nextDynamic;
    sizes.push_back(dim(x, nextDynamic++));
  }
  return tensor::ReshapeOp::create(b, loc, resultType, x, shapeOf(sizes));
}

Value Importer::shapeOf(ArrayRef<Value> sizes) {
  SmallVector<Value> sizes64;
  for (Value size : sizes)
    sizes64.push_back(arith::IndexCastOp::create(b, loc, b.getI64Type(), size));
  return tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({int64_t(sizes.size())}, b.getI64Type()),
      sizes64);
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

bool Importer::unary(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  Type elem = typeOf(x->value).getElementType();
  bool isFloat = isa<FloatType>(elem);
  llvm::StringRef op = node.op_type();
  if (!isFloat && !llvm::is_contained({"Neg", "Abs", "Relu", "Sign", "Not"},
                                      op))
    return problem(node, "integer operands are not supported");
  std::optional<Value> out = elementwise(
      node, {x->value}, elem,
      [&](OpBuilder &bb, Location l, ValueRange a) -> Value {
        Value v = a[0];
        auto fc = [&](double c) {
          return arith::ConstantOp::create(bb, l, FloatAttr::get(elem, c));
        };
        auto ic = [&](int64_t c) {
          return arith::ConstantOp::create(bb, l, IntegerAttr::get(elem, c));
        };
        if (op == "Neg")
          return isFloat ? Value(arith::NegFOp::create(bb, l, v))
                         : Value(arith::SubIOp::create(bb, l, ic(0), v));
        if (op == "Abs")
          return isFloat ? Value(math::AbsFOp::create(bb, l, v))
                         : Value(math::AbsIOp::create(bb, l, v));
        if (op == "Relu")
          return isFloat ? Value(arith::MaximumFOp::create(bb, l, v, fc(0)))
                         : Value(arith::MaxSIOp::create(bb, l, v, ic(0)));
        if (op == "Sign") {
          if (!isFloat) {
            Value pos = arith::ExtUIOp::create(
                bb, l, elem,
                arith::CmpIOp::create(bb, l, arith::CmpIPredicate::sgt, v,
                                      ic(0)));
            Value neg = arith::ExtUIOp::create(
                bb, l, elem,
                arith::CmpIOp::create(bb, l, arith::CmpIPredicate::slt, v,
                                      ic(0)));
            return arith::SubIOp::create(bb, l, pos, neg);
          }
          Value pos = arith::SelectOp::create(
              bb, l,
              arith::CmpFOp::create(bb, l, arith::CmpFPredicate::OGT, v, fc(0)),
              fc(1), fc(0));
          Value sign = arith::SelectOp::create(
              bb, l,
              arith::CmpFOp::create(bb, l, arith::CmpFPredicate::OLT, v, fc(0)),
              fc(-1), pos);
          // NaN stays NaN.
          return arith::SelectOp::create(
              bb, l,
              arith::CmpFOp::create(bb, l, arith::CmpFPredicate::UNO, v, v), v,
              sign);
        }
        if (op == "Not")
          return arith::XOrIOp::create(bb, l, v, ic(1));
        if (op == "Exp")
          return math::ExpOp::create(bb, l, v);
        if (op == "Log")
          return math::LogOp::create(bb, l, v);
        if (op == "Sqrt")
          return math::SqrtOp::create(bb, l, v);
        if (op == "Reciprocal")
          return arith::DivFOp::create(bb, l, fc(1), v);
        if (op == "Tanh")
          return math::TanhOp::create(bb, l, v);
        if (op == "Sigmoid")
          return arith::DivFOp::create(
              bb, l, fc(1),
              arith::AddFOp::create(
                  bb, l, fc(1),
                  math::ExpOp::create(bb, l, arith::NegFOp::create(bb, l, v))));
        if (op == "Erf")
          return math::ErfOp::create(bb, l, v);
        if (op == "Round")
          return math::RoundEvenOp::create(bb, l, v);
        if (op == "Floor")
          return math::FloorOp::create(bb, l, v);
        if (op == "Ceil")
          return math::CeilOp::create(bb, l, v);
        if (op == "Sin")
          return math::SinOp::create(bb, l, v);
        return math::CosOp::create(bb, l, v);
      });
  return result(node, out, x->dataType);
}

bool Importer::binary(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), y = input(node, 1);
  if (!x || !y)
    return false;
  Type elem = typeOf(x->value).getElementType();
  Type yElem = typeOf(y->value).getElementType();
  llvm::StringRef op = node.op_type();
  if (elem != yElem && op != "Pow")
    return problem(node, "operands have different element types");
  bool isFloat = isa<FloatType>(elem);
  bool isUns = isUnsigned(x->dataType);
  std::optional<Value> out = elementwise(
      node, {x->value, y->value}, elem,
      [&](OpBuilder &bb, Location l, ValueRange a) -> Value {
        Value u = a[0], v = a[1];
        if (op == "Add")
          return isFloat ? Value(arith::AddFOp::create(bb, l, u, v))
                         : Value(arith::AddIOp::create(bb, l, u, v));
        if (op == "Sub")
          return isFloat ? Value(arith::SubFOp::create(bb, l, u, v))
                         : Value(arith::SubIOp::create(bb, l, u, v));
        if (op == "Mul")
          return isFloat ? Value(arith::MulFOp::create(bb, l, u, v))
                         : Value(arith::MulIOp::create(bb, l, u, v));
        if (op == "Div")
          return isFloat  ? Value(arith::DivFOp::create(bb, l, u, v))
                 : isUns ? Value(arith::DivUIOp::create(bb, l, u, v))
                          : Value(arith::DivSIOp::create(bb, l, u, v));
        // Pow: float base; the exponent converted to the base's type.
        if (isFloat) {
          Value e = castElement(bb, l, v, elem, isUnsigned(y->dataType), false);
          return math::PowFOp::create(bb, l, u, e);
        }
        Value e = castElement(bb, l, v, elem, isUnsigned(y->dataType), isUns);
        return math::IPowIOp::create(bb, l, u, e);
      });
  if (!result(node, out, x->dataType))
    return false;
  if (!isFloat && !isUns)
    followElementwise(node);
  return true;
}

bool Importer::variadic(const onnx::NodeProto &node) {
  int dataType = 0;
  std::optional<SmallVector<Value>> inputs = allInputs(node, dataType);
  if (!inputs)
    return false;
  SmallVector<Value> &operands = *inputs;
  Type elem = typeOf(operands[0]).getElementType();
  bool isFloat = isa<FloatType>(elem), isUns = isUnsigned(dataType);
  llvm::StringRef op = node.op_type();
  if (op == "Mean" && !isFloat)
    return problem(node, "integer operands are not supported");
  std::optional<Value> out = elementwise(
      node, operands, elem,
      [&](OpBuilder &bb, Location l, ValueRange a) -> Value {
        Value acc = a[0];
        for (Value v : a.drop_front()) {
          if (op == "Max")
            acc = isFloat  ? Value(arith::MaximumFOp::create(bb, l, acc, v))
                  : isUns ? Value(arith::MaxUIOp::create(bb, l, acc, v))
                           : Value(arith::MaxSIOp::create(bb, l, acc, v));
          else if (op == "Min")
            acc = isFloat  ? Value(arith::MinimumFOp::create(bb, l, acc, v))
                  : isUns ? Value(arith::MinUIOp::create(bb, l, acc, v))
                           : Value(arith::MinSIOp::create(bb, l, acc, v));
          else
            acc = isFloat ? Value(arith::AddFOp::create(bb, l, acc, v))
                          : Value(arith::AddIOp::create(bb, l, acc, v));
        }
        if (op == "Mean")
          acc = arith::DivFOp::create(
              bb, l, acc,
              arith::ConstantOp::create(
                  bb, l, FloatAttr::get(elem, double(a.size()))));
        return acc;
      });
  return result(node, out, dataType);
}

bool Importer::compare(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), y = input(node, 1);
  if (!x || !y)
    return false;
  Type elem = typeOf(x->value).getElementType();
  if (elem != typeOf(y->value).getElementType())
    return problem(node, "operands have different element types");
  bool isFloat = isa<FloatType>(elem), isUns = isUnsigned(x->dataType);
  llvm::StringRef op = node.op_type();
  auto fp = llvm::StringSwitch<arith::CmpFPredicate>(op)
                .Case("Equal", arith::CmpFPredicate::OEQ)
                .Case("Less", arith::CmpFPredicate::OLT)
                .Case("Greater", arith::CmpFPredicate::OGT)
                .Case("LessOrEqual", arith::CmpFPredicate::OLE)
                .Default(arith::CmpFPredicate::OGE);
  auto ip = llvm::StringSwitch<arith::CmpIPredicate>(op)
                .Case("Equal", arith::CmpIPredicate::eq)
                .Case("Less", isUns ? arith::CmpIPredicate::ult
                                    : arith::CmpIPredicate::slt)
                .Case("Greater", isUns ? arith::CmpIPredicate::ugt
                                       : arith::CmpIPredicate::sgt)
                .Case("LessOrEqual", isUns ? arith::CmpIPredicate::ule
                                           : arith::CmpIPredicate::sle)
                .Default(isUns ? arith::CmpIPredicate::uge
                               : arith::CmpIPredicate::sge);
  std::optional<Value> out = elementwise(
      node, {x->value, y->value}, b.getI1Type(),
      [&](OpBuilder &bb, Location l, ValueRange a) -> Value {
        return isFloat ? Value(arith::CmpFOp::create(bb, l, fp, a[0], a[1]))
                       : Value(arith::CmpIOp::create(bb, l, ip, a[0], a[1]));
      });
  if (!result(node, out, onnx::TensorProto::BOOL))
    return false;
  if (!isFloat && !isUns)
    followElementwise(node);
  return true;
}

bool Importer::logical(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), y = input(node, 1);
  if (!x || !y)
    return false;
  llvm::StringRef op = node.op_type();
  std::optional<Value> out = elementwise(
      node, {x->value, y->value}, b.getI1Type(),
      [&](OpBuilder &bb, Location l, ValueRange a) -> Value {
        if (op == "And")
          return arith::AndIOp::create(bb, l, a[0], a[1]);
        if (op == "Or")
          return arith::OrIOp::create(bb, l, a[0], a[1]);
        return arith::XOrIOp::create(bb, l, a[0], a[1]);
      });
  return result(node, out, onnx::TensorProto::BOOL);
}

bool Importer::where(const onnx::NodeProto &node) {
  std::optional<Tensor> c = input(node, 0), x = input(node, 1),
                        y = input(node, 2);
  if (!c || !x || !y)
    return false;
  std::optional<Value> out = elementwise(
      node, {c->value, x->value, y->value},
      typeOf(x->value).getElementType(),
      [&](OpBuilder &bb, Location l, ValueRange a) -> Value {
        return arith::SelectOp::create(bb, l, a[0], a[1], a[2]);
      });
  if (!result(node, out, x->dataType))
    return false;
  if (!isa<FloatType>(typeOf(x->value).getElementType()))
    followElementwise(node);
  return true;
}

bool Importer::clip(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  SmallVector<Value> operands = {x->value};
  bool hasMin = has(node, 1), hasMax = has(node, 2);
  for (int i : {1, 2}) {
    if (!has(node, i))
      continue;
    std::optional<Tensor> bound = input(node, i);
    if (!bound)
      return false;
    operands.push_back(bound->value);
  }
  Type elem = typeOf(x->value).getElementType();
  bool isFloat = isa<FloatType>(elem), isUns = isUnsigned(x->dataType);
  std::optional<Value> out = elementwise(
      node, operands, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        Value v = a[0];
        size_t next = 1;
        if (hasMin) {
          Value lo = a[next++];
          v = isFloat  ? Value(arith::MaximumFOp::create(bb, l, v, lo))
              : isUns ? Value(arith::MaxUIOp::create(bb, l, v, lo))
                       : Value(arith::MaxSIOp::create(bb, l, v, lo));
        }
        if (hasMax) {
          Value hi = a[next];
          v = isFloat  ? Value(arith::MinimumFOp::create(bb, l, v, hi))
              : isUns ? Value(arith::MinUIOp::create(bb, l, v, hi))
                       : Value(arith::MinSIOp::create(bb, l, v, hi));
        }
        return v;
      });
  return result(node, out, x->dataType);
}

bool Importer::castOp(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  int to = int(attrInt(node, "to", 0));
  Type elem = elementType(ctx, to);
  if (!elem)
    return problem(node, "cannot cast to element type " + llvm::Twine(to));
  std::optional<Value> out = elementwise(
      node, {x->value}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        return castElement(bb, l, a[0], elem, isUnsigned(x->dataType),
                           isUnsigned(to));
      });
  if (!out)
    return false;
  define(node, 0, *out, to);
  carryKnownInts(node);
  return true;
}

bool Importer::identity(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  // Dropout is the identity at inference only.
  if (node.op_type() == "Dropout" && has(node, 2)) {
    auto it = knownInts.find(inputName(node, 2));
    if (it == knownInts.end() || it->second.size() != 1 || it->second[0] != 0)
      return problem(node, "training_mode must be a constant false (Tern "
                           "compiles inference)");
  }
  define(node, 0, x->value, x->dataType);
  carryKnownInts(node);
  // Dropout's mask output (inference: all kept).
  if (node.output_size() > 1 && !node.output(1).empty()) {
    auto type = typeOf(x->value);
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < type.getRank(); ++i)
      if (type.isDynamicDim(i))
        sizes.push_back(dim(x->value, i));
    Value mask = linalg::FillOp::create(
                     b, loc,
                     Value(arith::ConstantOp::create(b, loc, b.getBoolAttr(true))),
                     empty(type.getShape(), sizes, b.getI1Type()))
                     .getResult(0);
    define(node, 1, mask, onnx::TensorProto::BOOL);
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Constants and shapes
//===----------------------------------------------------------------------===//

bool Importer::constant(const onnx::NodeProto &node) {
  const std::string &name = node.output(0);
  if (const onnx::AttributeProto *a = attr(node, "value")) {
    std::optional<Tensor> t = constantTensor(a->t(), name);
    if (!t)
      return false;
    values[name] = *t;
    return true;
  }
  auto make = [&](Type elem, int dataType, ArrayRef<int64_t> shape,
                  Attribute values_) {
    auto type = RankedTensorType::get(shape, elem);
    values[name] = {arith::ConstantOp::create(b, loc, type,
                                              cast<TypedAttr>(values_)),
                    dataType};
  };
  if (const onnx::AttributeProto *a = attr(node, "value_float")) {
    auto type = RankedTensorType::get({}, b.getF32Type());
    make(b.getF32Type(), onnx::TensorProto::FLOAT, {},
         DenseElementsAttr::get(type, a->f()));
    knownFloats[name] = {a->f()};
    return true;
  }
  if (const onnx::AttributeProto *a = attr(node, "value_floats")) {
    SmallVector<float> v(a->floats().begin(), a->floats().end());
    auto type = RankedTensorType::get({int64_t(v.size())}, b.getF32Type());
    make(b.getF32Type(), onnx::TensorProto::FLOAT, type.getShape(),
         DenseElementsAttr::get(type, ArrayRef<float>(v)));
    knownFloats[name] = SmallVector<double>(v.begin(), v.end());
    return true;
  }
  if (const onnx::AttributeProto *a = attr(node, "value_int")) {
    auto type = RankedTensorType::get({}, b.getI64Type());
    make(b.getI64Type(), onnx::TensorProto::INT64, {},
         DenseElementsAttr::get(type, int64_t(a->i())));
    knownInts[name] = {a->i()};
    return true;
  }
  if (const onnx::AttributeProto *a = attr(node, "value_ints")) {
    SmallVector<int64_t> v(a->ints().begin(), a->ints().end());
    auto type = RankedTensorType::get({int64_t(v.size())}, b.getI64Type());
    make(b.getI64Type(), onnx::TensorProto::INT64, type.getShape(),
         DenseElementsAttr::get(type, ArrayRef<int64_t>(v)));
    knownInts[name] = v;
    return true;
  }
  return problem(node, "has no value attribute this importer reads (value, "
                       "value_float(s), value_int(s))");
}

bool Importer::constantOfShape(const onnx::NodeProto &node) {
  std::optional<SmallVector<SymInt>> dims = shapeInts(node, 0);
  if (!dims)
    return false;
  Type elem = b.getF32Type();
  int dataType = onnx::TensorProto::FLOAT;
  Attribute fill = b.getF32FloatAttr(0);
  if (const onnx::AttributeProto *a = attr(node, "value")) {
    std::optional<Tensor> t = constantTensor(a->t(), node.output(0) + ".value");
    if (!t)
      return false;
    auto dense = dyn_cast<DenseElementsAttr>(
        t->value.getDefiningOp<arith::ConstantOp>().getValue());
    if (!dense || dense.getNumElements() != 1)
      return problem(node, "value must hold one element");
    elem = dense.getElementType();
    dataType = t->dataType;
    fill = dense.getSplatValue<Attribute>();
  }
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  int64_t count = 1;
  for (const SymInt &d : *dims) {
    if (d.isConstant() && d.constant < 0)
      return problem(node, "shape has a negative size");
    shape.push_back(d.isConstant() ? d.constant : ShapedType::kDynamic);
    if (!d.isConstant())
      dynamicSizes.push_back(d.value);
    count *= d.constant;
  }
  auto type = RankedTensorType::get(shape, elem);
  if (!dynamicSizes.empty()) {
    Value v = linalg::FillOp::create(
                  b, loc, Value(arith::ConstantOp::create(b, loc, cast<TypedAttr>(fill))),
                  empty(shape, dynamicSizes, elem))
                  .getResult(0);
    define(node, 0, v, dataType);
    return true;
  }
  Value v = arith::ConstantOp::create(
      b, loc, type, SplatElementsAttr::get(type, fill));
  define(node, 0, v, dataType);
  // A small integer fill is a shape-like constant too.
  if (auto i = dyn_cast<IntegerAttr>(fill);
      i && !i.getType().isInteger(1) && shape.size() <= 1 && count <= 64)
    knownInts[node.output(0)] = SmallVector<int64_t>(count, i.getInt());
  return true;
}

bool Importer::shape(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  int64_t rank = type.getRank();
  int64_t start = attrInt(node, "start", 0), end = attrInt(node, "end", rank);
  auto clampAxis = [&](int64_t a) {
    a = a < 0 ? a + rank : a;
    return std::clamp<int64_t>(a, 0, rank);
  };
  start = clampAxis(start);
  end = std::max(start, clampAxis(end));
  SmallVector<SymInt> dims;
  SmallVector<Value> sizes;
  for (int64_t i = start; i < end; ++i) {
    dims.push_back(dimOf(x->value, i));
    sizes.push_back(indexOf(dims.back()));
  }
  define(node, 0, shapeOf(sizes), onnx::TensorProto::INT64);
  setSymInts(node.output(0), dims);
  return true;
}

/// Range with a run-time bound (an integer range up to a sequence length):
/// count = max(ceil((limit - start) / delta), 0), element i = start + i * delta.
bool Importer::rangeDynamic(const onnx::NodeProto &node, const Tensor &t) {
  SmallVector<SymInt> bounds;
  for (int i = 0; i < 3; ++i) {
    std::optional<SmallVector<SymInt>> v = shapeInts(node, i);
    if (!v)
      return false;
    if (v->size() != 1)
      return problem(node, "start, limit and delta must be scalars");
    bounds.push_back((*v)[0]);
  }
  const SymInt &delta = bounds[2];
  if (!delta.isConstant() || delta.constant == 0)
    return problem(node, "delta must be a non-zero constant");
  Value start = indexOf(bounds[0]), limit = indexOf(bounds[1]);
  Value d = indexOf(delta);
  // ceil(span / delta) for either sign of delta, clamped at 0.
  Value span = arith::SubIOp::create(b, loc, limit, start);
  Value count = arith::CeilDivSIOp::create(b, loc, span, d);
  count = arith::MaxSIOp::create(b, loc, count, indexOf(SymInt::of(0)));
  define(node, 0,
         sequence(start, d, count, typeOf(t.value).getElementType()),
         t.dataType);
  return true;
}

Value Importer::sequence(Value start, Value step, Value count, Type elem) {
  Value init = empty({ShapedType::kDynamic}, {count}, elem);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{}, ValueRange{init},
             SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(1, ctx)},
             SmallVector<utils::IteratorType>{utils::IteratorType::parallel},
             [&](OpBuilder &bb, Location l, ValueRange) {
               Value i = linalg::IndexOp::create(bb, l, 0);
               Value v = arith::AddIOp::create(
                   bb, l, start, arith::MulIOp::create(bb, l, i, step));
               linalg::YieldOp::create(
                   bb, l,
                   castElement(bb, l,
                               arith::IndexCastOp::create(bb, l,
                                                          bb.getI64Type(), v),
                               elem, false, false));
             })
      .getResult(0);
}

bool Importer::range(const onnx::NodeProto &node) {
  if ((has(node, 1) && symbolicInts.count(inputName(node, 1))) ||
      (has(node, 0) && symbolicInts.count(inputName(node, 0)))) {
    std::optional<Tensor> t = input(node, 0);
    return t && rangeDynamic(node, *t);
  }
  std::optional<SmallVector<double>> start = constFloats(node, 0),
                                     limit = constFloats(node, 1),
                                     delta = constFloats(node, 2);
  std::optional<Tensor> t = input(node, 0);
  if (!start || !limit || !delta || !t || start->size() != 1 ||
      limit->size() != 1 || delta->size() != 1)
    return false;
  if ((*delta)[0] == 0)
    return problem(node, "delta is 0");
  int64_t count = std::max<int64_t>(
      int64_t(std::ceil(((*limit)[0] - (*start)[0]) / (*delta)[0])), 0);
  Type elem = typeOf(t->value).getElementType();
  auto type = RankedTensorType::get({count}, elem);
  SmallVector<Attribute> items;
  SmallVector<int64_t> ints;
  for (int64_t i = 0; i < count; ++i) {
    double v = (*start)[0] + double(i) * (*delta)[0];
    if (isa<FloatType>(elem))
      items.push_back(FloatAttr::get(elem, v));
    else {
      items.push_back(IntegerAttr::get(elem, int64_t(v)));
      ints.push_back(int64_t(v));
    }
  }
  define(node, 0,
         arith::ConstantOp::create(b, loc, type,
                                   DenseElementsAttr::get(type, items)),
         t->dataType);
  if (!isa<FloatType>(elem))
    knownInts[node.output(0)] = ints;
  return true;
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

std::optional<Value> Importer::contract(const onnx::NodeProto &node, Value a,
                                        Value w, bool transA, bool transB,
                                        Type resultElem) {
  auto at = typeOf(a), bt = typeOf(w);
  int64_t ra = at.getRank(), rb = bt.getRank();
  if (ra < 1 || rb < 1)
    return problem(node, "operands must have rank 1 or more"), std::nullopt;
  // Logical dims: A [..., M, K] (or [K]), B [..., K, N] (or [K]).
  auto aDim = [&](int64_t fromEnd) { return at.getDimSize(ra - 1 - fromEnd); };
  auto bDim = [&](int64_t fromEnd) { return bt.getDimSize(rb - 1 - fromEnd); };
  bool hasM = ra >= 2, hasN = rb >= 2;
  int64_t kA = ra == 1 ? aDim(0) : transA ? aDim(1) : aDim(0);
  int64_t kB = rb == 1 ? bDim(0) : transB ? bDim(0) : bDim(1);
  if (!ShapedType::isDynamic(kA) && !ShapedType::isDynamic(kB) && kA != kB)
    return problem(node, "reduction sizes differ (" + llvm::Twine(kA) +
                             " and " + llvm::Twine(kB) + ")"),
           std::nullopt;
  int64_t batchA = std::max<int64_t>(ra - 2, 0), batchB =
                                                     std::max<int64_t>(rb - 2, 0);
  int64_t nb = std::max(batchA, batchB);
  // Loop dims: batch..., m?, n?, k.
  int64_t loops = nb + hasM + hasN + 1;
  int64_t mIdx = nb, nIdx = nb + hasM, kIdx = loops - 1;
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0; i < nb; ++i) {
    int64_t ia = i - (nb - batchA), ib = i - (nb - batchB);
    int64_t da = ia >= 0 ? at.getDimSize(ia) : 1;
    int64_t db = ib >= 0 ? bt.getDimSize(ib) : 1;
    int64_t d = da == 1 ? db : da;
    shape.push_back(d);
    if (ShapedType::isDynamic(d))
      dynamicSizes.push_back(da == 1 ? dim(w, ib) : dim(a, ia));
  }
  if (hasM) {
    int64_t axis = transA ? ra - 1 : ra - 2;
    shape.push_back(at.getDimSize(axis));
    if (at.isDynamicDim(axis))
      dynamicSizes.push_back(dim(a, axis));
  }
  if (hasN) {
    int64_t axis = transB ? rb - 2 : rb - 1;
    shape.push_back(bt.getDimSize(axis));
    if (bt.isDynamicDim(axis))
      dynamicSizes.push_back(dim(w, axis));
  }
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  auto zero = getAffineConstantExpr(0, ctx);
  SmallVector<AffineExpr> aExprs, bExprs, cExprs;
  for (int64_t i = 0; i < batchA; ++i)
    aExprs.push_back(at.getDimSize(i) == 1 && shape[nb - batchA + i] != 1
                         ? zero
                         : d(nb - batchA + i));
  for (int64_t i = 0; i < batchB; ++i)
    bExprs.push_back(bt.getDimSize(i) == 1 && shape[nb - batchB + i] != 1
                         ? zero
                         : d(nb - batchB + i));
  if (hasM) {
    if (transA)
      aExprs.append({d(kIdx), d(mIdx)});
    else
      aExprs.append({d(mIdx), d(kIdx)});
  } else {
    aExprs.push_back(d(kIdx));
  }
  if (hasN) {
    if (transB)
      bExprs.append({d(nIdx), d(kIdx)});
    else
      bExprs.append({d(kIdx), d(nIdx)});
  } else {
    bExprs.push_back(d(kIdx));
  }
  for (int64_t i = 0; i < loops - 1; ++i)
    cExprs.push_back(d(i));
  Value zeroValue = splat(resultElem, 0);
  Value init = linalg::FillOp::create(b, loc, zeroValue,
                                      empty(shape, dynamicSizes, resultElem))
                   .getResult(0);
  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  bool isFloat = isa<FloatType>(resultElem);
  auto op = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{a, w}, ValueRange{init},
      SmallVector<AffineMap>{AffineMap::get(loops, 0, aExprs, ctx),
                             AffineMap::get(loops, 0, bExprs, ctx),
                             AffineMap::get(loops, 0, cExprs, ctx)},
      iterators, [&](OpBuilder &bb, Location l, ValueRange args) {
        Value x = castElement(bb, l, args[0], resultElem, false, false);
        Value y = castElement(bb, l, args[1], resultElem, false, false);
        Value p = isFloat ? Value(arith::MulFOp::create(bb, l, x, y))
                          : Value(arith::MulIOp::create(bb, l, x, y));
        Value s = isFloat ? Value(arith::AddFOp::create(bb, l, args[2], p))
                          : Value(arith::AddIOp::create(bb, l, args[2], p));
        linalg::YieldOp::create(bb, l, s);
      });
  return op.getResult(0);
}

bool Importer::matmul(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), y = input(node, 1);
  if (!x || !y)
    return false;
  Type elem = typeOf(x->value).getElementType();
  if (elem != typeOf(y->value).getElementType())
    return problem(node, "operands have different element types");
  std::optional<Value> out =
      contract(node, x->value, y->value, false, false, elem);
  return result(node, out, x->dataType);
}

bool Importer::gemm(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), y = input(node, 1);
  if (!x || !y)
    return false;
  Type elem = typeOf(x->value).getElementType();
  if (typeOf(x->value).getRank() != 2 || typeOf(y->value).getRank() != 2)
    return problem(node, "A and B must be matrices");
  float alpha = attrFloat(node, "alpha", 1), beta = attrFloat(node, "beta", 1);
  std::optional<Value> product =
      contract(node, x->value, y->value, attrInt(node, "transA", 0) != 0,
               attrInt(node, "transB", 0) != 0, elem);
  if (!product)
    return false;
  SmallVector<Value> operands = {*product};
  if (has(node, 2)) {
    std::optional<Tensor> c = input(node, 2);
    if (!c)
      return false;
    operands.push_back(c->value);
  }
  bool isFloat = isa<FloatType>(elem);
  std::optional<Value> out = elementwise(
      node, operands, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        auto scaled = [&](Value v, float s) -> Value {
          if (s == 1)
            return v;
          Value k = isFloat ? arith::ConstantOp::create(
                                  bb, l, FloatAttr::get(elem, s))
                            : arith::ConstantOp::create(
                                  bb, l, IntegerAttr::get(elem, int64_t(s)));
          return isFloat ? Value(arith::MulFOp::create(bb, l, v, k))
                         : Value(arith::MulIOp::create(bb, l, v, k));
        };
        Value v = scaled(a[0], alpha);
        if (a.size() > 1)
          v = isFloat ? Value(arith::AddFOp::create(bb, l, v, scaled(a[1], beta)))
                      : Value(arith::AddIOp::create(bb, l, v, scaled(a[1], beta)));
        return v;
      });
  return result(node, out, x->dataType);
}

//===----------------------------------------------------------------------===//
// Layout ops
//===----------------------------------------------------------------------===//

bool Importer::transpose(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  int64_t rank = type.getRank();
  SmallVector<int64_t> perm;
  if (auto given = attrInts(node, "perm"))
    perm = *given;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  for (int64_t i = 0; i < int64_t(sorted.size()); ++i)
    if (sorted[i] != i || int64_t(perm.size()) != rank)
      return problem(node, "perm is not a permutation of the dims");
  SmallVector<int64_t> shape;
  SmallVector<Value> sizes;
  for (int64_t p : perm) {
    shape.push_back(type.getDimSize(p));
    if (type.isDynamicDim(p))
      sizes.push_back(dim(x->value, p));
  }
  Value init = empty(shape, sizes, type.getElementType());
  auto op = linalg::TransposeOp::create(b, loc, x->value, init, perm);
  define(node, 0, op.getResult()[0], x->dataType);
  return true;
}

bool Importer::reshapeOp(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  std::optional<SmallVector<SymInt>> target = shapeInts(node, 1);
  if (!x || !target)
    return false;
  bool allowZero = attrInt(node, "allowzero", 0) != 0;
  std::optional<Value> out = reshapeTo(node, x->value, *target, allowZero);
  if (!out)
    return false;
  define(node, 0, *out, x->dataType);
  carryKnownInts(node);
  return true;
}

/// Reshape (and Expand-free shape changes) to `target`, ONNX style: 0 copies
/// the input's dim (unless `allowZero`), one -1 is inferred. Constant sizes
/// are checked here; sizes computed from a sequence length at run time.
std::optional<Value> Importer::reshapeTo(const onnx::NodeProto &node, Value x,
                                         ArrayRef<SymInt> target,
                                         bool allowZero) {
  auto type = typeOf(x);
  SmallVector<SymInt> sizes;
  int64_t inferred = -1;
  for (auto [i, given] : llvm::enumerate(target)) {
    if (!given.isConstant()) {
      sizes.push_back(given);
      continue;
    }
    int64_t d = given.constant;
    if (d == 0 && !allowZero) {
      if (int64_t(i) >= type.getRank())
        return problem(node, "shape copies dim " + llvm::Twine(i) +
                                 " the input does not have"),
               std::nullopt;
      sizes.push_back(dimOf(x, i));
    } else if (d == -1) {
      if (inferred >= 0)
        return problem(node, "shape has more than one -1"), std::nullopt;
      inferred = int64_t(i);
      sizes.push_back(SymInt::of(1));
    } else if (d < 0) {
      return problem(node, "shape has a negative size"), std::nullopt;
    } else {
      sizes.push_back(SymInt::of(d));
    }
  }
  bool allConstant = llvm::all_of(
      sizes, [](const SymInt &s) { return s.isConstant(); });
  if (type.hasStaticShape() && allConstant) {
    int64_t known = 1;
    for (const SymInt &s : sizes)
      known *= s.constant;
    if (inferred >= 0) {
      if (known == 0 || type.getNumElements() % known != 0)
        return problem(node, "shape does not fit the input's elements"),
               std::nullopt;
      sizes[inferred] = SymInt::of(type.getNumElements() / known);
      known *= sizes[inferred].constant;
    }
    if (known != type.getNumElements())
      return problem(node, "shape holds " + llvm::Twine(known) +
                               " elements, the input " +
                               llvm::Twine(type.getNumElements())),
             std::nullopt;
    SmallVector<int64_t> shape;
    for (const SymInt &s : sizes)
      shape.push_back(s.constant);
    return reshape(x, shape);
  }
  if (inferred >= 0) {
    Value total = indexOf(SymInt::of(1)), known = total;
    for (int64_t i = 0; i < type.getRank(); ++i)
      total = arith::MulIOp::create(b, loc, total, indexOf(dimOf(x, i)));
    for (const SymInt &s : sizes)
      known = arith::MulIOp::create(b, loc, known, indexOf(s));
    sizes[inferred] = {0, arith::DivUIOp::create(b, loc, total, known), true};
  }
  SmallVector<int64_t> shape;
  SmallVector<Value> values;
  for (const SymInt &s : sizes) {
    shape.push_back(s.isConstant() ? s.constant : ShapedType::kDynamic);
    values.push_back(indexOf(s));
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return tensor::ReshapeOp::create(b, loc, resultType, x, shapeOf(values))
      .getResult();
}

bool Importer::flatten(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  if (!type.hasStaticShape())
    return problem(node, "flattening dynamic shapes is not supported yet");
  int64_t rank = type.getRank(), axis = attrInt(node, "axis", 1);
  if (axis < -rank || axis > rank)
    return problem(node, "axis " + llvm::Twine(axis) + " is out of range");
  if (axis < 0)
    axis += rank;
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= type.getDimSize(i);
  define(node, 0, reshape(x->value, {outer, type.getNumElements() / std::max<int64_t>(outer, 1)}),
         x->dataType);
  return true;
}

bool Importer::squeeze(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  int64_t rank = type.getRank();
  std::optional<SmallVector<int64_t>> axesGiven = axesOperand(node);
  if (!axesGiven)
    return false;
  SmallVector<int64_t> axes = *axesGiven;
  if (axes.empty()) // every dim of size 1
    for (int64_t i = 0; i < rank; ++i)
      if (type.getDimSize(i) == 1)
        axes.push_back(i);
  for (int64_t &a : axes) {
    std::optional<int64_t> n = normalizeAxis(node, a, rank);
    if (!n)
      return false;
    if (type.getDimSize(*n) != 1)
      return problem(node, "dim " + llvm::Twine(*n) + " is not 1");
    a = *n;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(axes, i))
      shape.push_back(type.getDimSize(i));
  define(node, 0, reshape(x->value, shape), x->dataType);
  carryKnownInts(node);
  return true;
}

bool Importer::unsqueeze(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  std::optional<SmallVector<int64_t>> axesGiven = axesOperand(node);
  if (!axesGiven)
    return false;
  SmallVector<int64_t> axes = *axesGiven;
  int64_t rank = type.getRank() + int64_t(axes.size());
  for (int64_t &a : axes) {
    std::optional<int64_t> n = normalizeAxis(node, a, rank);
    if (!n)
      return false;
    a = *n;
  }
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(llvm::is_contained(axes, i) ? 1
                                                : type.getDimSize(next++));
  if (next != type.getRank())
    return problem(node, "axes repeat");
  define(node, 0, reshape(x->value, shape), x->dataType);
  carryKnownInts(node);
  return true;
}

bool Importer::reduceOp(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  int64_t rank = type.getRank();
  std::optional<SmallVector<int64_t>> axesGiven = axesOperand(node);
  if (!axesGiven)
    return false;
  SmallVector<int64_t> axes = *axesGiven;
  if (axes.empty()) {
    if (attrInt(node, "noop_with_empty_axes", 0)) {
      define(node, 0, x->value, x->dataType);
      return true;
    }
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  for (int64_t &a : axes) {
    std::optional<int64_t> n = normalizeAxis(node, a, rank);
    if (!n)
      return false;
    a = *n;
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  bool keep = attrInt(node, "keepdims", 1) != 0;
  llvm::StringRef op = node.op_type();
  Combine kind = op == "ReduceMax"    ? Combine::Max
                 : op == "ReduceMin"  ? Combine::Min
                 : op == "ReduceProd" ? Combine::Prod
                                      : Combine::Sum;
  Value out = reduce(x->value, axes, keep, kind);
  if (op == "ReduceMean") {
    Type elem = type.getElementType();
    if (!isa<FloatType>(elem))
      return problem(node, "integer operands are not supported");
    int64_t count = 1;
    for (int64_t a : axes) {
      if (type.isDynamicDim(a))
        return problem(node, "a mean over a dynamic dim is not supported yet");
      count *= type.getDimSize(a);
    }
    std::optional<Value> mean = elementwise(
        node, {out}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
          return arith::DivFOp::create(
              bb, l, a[0],
              arith::ConstantOp::create(bb, l,
                                        FloatAttr::get(elem, double(count))));
        });
    if (!mean)
      return false;
    out = *mean;
  }
  define(node, 0, out, x->dataType);
  return true;
}

bool Importer::softmax(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  Type elem = type.getElementType();
  if (!isa<FloatType>(elem))
    return problem(node, "integer operands are not supported");
  std::optional<int64_t> axis =
      normalizeAxis(node, attrInt(node, "axis", -1), type.getRank());
  if (!axis)
    return false;
  bool log = node.op_type() == "LogSoftmax";
  Value max = reduce(x->value, {*axis}, true, Combine::Max);
  std::optional<Value> shifted = elementwise(
      node, {x->value, max}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        return arith::SubFOp::create(bb, l, a[0], a[1]);
      });
  if (!shifted)
    return false;
  std::optional<Value> exps = elementwise(
      node, {*shifted}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        return math::ExpOp::create(bb, l, a[0]);
      });
  if (!exps)
    return false;
  Value sum = reduce(*exps, {*axis}, true, Combine::Sum);
  std::optional<Value> out = elementwise(
      node, {log ? *shifted : *exps, sum}, elem,
      [&](OpBuilder &bb, Location l, ValueRange a) -> Value {
        if (log)
          return arith::SubFOp::create(bb, l, a[0],
                                       math::LogOp::create(bb, l, a[1]));
        return arith::DivFOp::create(bb, l, a[0], a[1]);
      });
  return result(node, out, x->dataType);
}

bool Importer::concat(const onnx::NodeProto &node) {
  int dataType = 0;
  std::optional<SmallVector<Value>> inputs = allInputs(node, dataType);
  if (!inputs)
    return false;
  SmallVector<Value> &parts = *inputs;
  auto type = typeOf(parts[0]);
  int64_t rank = type.getRank();
  std::optional<int64_t> axis = normalizeAxis(node, attrInt(node, "axis", 0), rank);
  if (!axis)
    return false;
  // Static sizes where every part has them; the axis adds up.
  SmallVector<int64_t> shape(type.getShape());
  shape[*axis] = 0;
  for (Value p : parts) {
    auto pt = typeOf(p);
    if (pt.getRank() != rank)
      return problem(node, "inputs differ in rank");
    for (int64_t i = 0; i < rank; ++i) {
      int64_t d = pt.getDimSize(i);
      if (i == *axis) {
        shape[i] = ShapedType::isDynamic(d) || ShapedType::isDynamic(shape[i])
                       ? ShapedType::kDynamic
                       : shape[i] + d;
      } else if (ShapedType::isDynamic(shape[i])) {
        shape[i] = d;
      } else if (!ShapedType::isDynamic(d) && d != shape[i]) {
        return problem(node, "inputs differ outside the axis");
      }
    }
  }
  SmallVector<Value> dynamicSizes;
  Value total = indexOf(SymInt::of(0));
  for (Value p : parts)
    total = arith::AddIOp::create(b, loc, total, dim(p, *axis));
  for (int64_t i = 0; i < rank; ++i)
    if (ShapedType::isDynamic(shape[i]))
      dynamicSizes.push_back(i == *axis ? total : dim(parts[0], i));
  Value result = empty(shape, dynamicSizes, type.getElementType());
  OpFoldResult offset = b.getIndexAttr(0);
  for (Value p : parts) {
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes,
        strides(rank, b.getIndexAttr(1));
    offsets[*axis] = offset;
    for (int64_t i = 0; i < rank; ++i)
      sizes.push_back(typeOf(p).isDynamicDim(i)
                          ? OpFoldResult(dim(p, i))
                          : OpFoldResult(b.getIndexAttr(typeOf(p).getDimSize(i))));
    result = tensor::InsertSliceOp::create(b, loc, p, result, offsets, sizes,
                                           strides);
    offset = getAsOpFoldResult(arith::AddIOp::create(
        b, loc, getValueOrCreateConstantIndexOp(b, loc, offset),
        dim(p, *axis)));
  }
  define(node, 0, result, dataType);
  // Concatenated followed shapes stay followed.
  if (rank != 1)
    return true;
  SmallVector<SymInt> ints;
  for (int i = 0; i < node.input_size(); ++i) {
    std::optional<SmallVector<SymInt>> part = symInts(inputName(node, i));
    if (!part)
      return true;
    ints.append(*part);
  }
  setSymInts(node.output(0), ints);
  return true;
}

/// Slice's axes (input 3, default 0, 1, ...) and steps (input 4, default
/// 1s), checked against the number of starts and ends.
bool Importer::sliceAxesAndSteps(const onnx::NodeProto &node, size_t starts,
                                 size_t ends, SmallVector<int64_t> &axes,
                                 SmallVector<int64_t> &steps) {
  axes.clear();
  steps.assign(starts, 1);
  if (has(node, 3)) {
    std::optional<SmallVector<int64_t>> given = constInts(node, 3);
    if (!given)
      return false;
    axes = *given;
  } else {
    for (int64_t i = 0; i < int64_t(starts); ++i)
      axes.push_back(i);
  }
  if (has(node, 4)) {
    std::optional<SmallVector<int64_t>> given = constInts(node, 4);
    if (!given)
      return false;
    steps = *given;
  }
  if (axes.size() != starts || ends != starts || steps.size() != starts)
    return problem(node, "starts, ends, axes and steps differ in length");
  return true;
}

/// Slice with run-time sizes or bounds (positive constant steps): the
/// bounds are wrapped and clamped into each axis at run time.
bool Importer::sliceDynamic(const onnx::NodeProto &node, const Tensor &x) {
  std::optional<SmallVector<SymInt>> starts = shapeInts(node, 1),
                                     ends = shapeInts(node, 2);
  if (!starts || !ends)
    return false;
  auto type = typeOf(x.value);
  int64_t rank = type.getRank();
  SmallVector<int64_t> axes, steps;
  if (!sliceAxesAndSteps(node, starts->size(), ends->size(), axes, steps))
    return false;
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes,
      strides(rank, b.getIndexAttr(1));
  for (int64_t i = 0; i < rank; ++i)
    sizes.push_back(getAsOpFoldResult(dim(x.value, i)));
  Value zero = indexOf(SymInt::of(0));
  for (size_t i = 0; i < axes.size(); ++i) {
    std::optional<int64_t> axis = normalizeAxis(node, axes[i], rank);
    if (!axis)
      return false;
    if (steps[i] <= 0)
      return problem(node, "steps must be positive when a size or bound is "
                           "known only at run time");
    Value n = dim(x.value, *axis), step = indexOf(SymInt::of(steps[i]));
    auto bound = [&](const SymInt &given) {
      Value v = indexOf(given);
      if (!given.nonNegative) {
        Value negative =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero);
        v = arith::SelectOp::create(b, loc, negative,
                                    arith::AddIOp::create(b, loc, v, n), v);
      }
      return arith::MinSIOp::create(b, loc,
                                    arith::MaxSIOp::create(b, loc, v, zero), n)
          .getResult();
    };
    Value start = bound((*starts)[i]), end = bound((*ends)[i]);
    Value count = arith::CeilDivSIOp::create(
        b, loc, arith::SubIOp::create(b, loc, end, start), step);
    count = arith::MaxSIOp::create(b, loc, count, zero);
    offsets[*axis] = getAsOpFoldResult(start);
    sizes[*axis] = getAsOpFoldResult(count);
    strides[*axis] = b.getIndexAttr(steps[i]);
  }
  Value out = tensor::ExtractSliceOp::create(b, loc, x.value, offsets, sizes,
                                             strides);
  define(node, 0, out, x.dataType);
  return true;
}

bool Importer::slice(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  int64_t rank = type.getRank();
  bool boundsKnown = has(node, 1) && has(node, 2) &&
                     knownInts.count(inputName(node, 1)) &&
                     knownInts.count(inputName(node, 2));
  if (!type.hasStaticShape() || !boundsKnown)
    return sliceDynamic(node, *x);
  std::optional<SmallVector<int64_t>> starts = constInts(node, 1),
                                      ends = constInts(node, 2);
  if (!starts || !ends)
    return false;
  SmallVector<int64_t> axes, steps;
  if (!sliceAxesAndSteps(node, starts->size(), ends->size(), axes, steps))
    return false;
  SmallVector<int64_t> offsets(rank, 0), sizes(type.getShape()),
      strides(rank, 1);
  bool reversed = false;
  for (size_t i = 0; i < axes.size(); ++i) {
    std::optional<int64_t> axis = normalizeAxis(node, axes[i], rank);
    if (!axis)
      return false;
    int64_t n = type.getDimSize(*axis), step = steps[i];
    if (step == 0)
      return problem(node, "a step is 0");
    int64_t start = (*starts)[i], end = (*ends)[i];
    if (start < 0)
      start += n;
    if (end < 0)
      end += n;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, n);
      end = std::clamp<int64_t>(end, 0, n);
      sizes[*axis] = end > start ? (end - start + step - 1) / step : 0;
      offsets[*axis] = sizes[*axis] ? start : 0;
    } else {
      start = std::clamp<int64_t>(start, -1, n - 1);
      end = std::clamp<int64_t>(end, -1, n - 1);
      int64_t count = start > end ? (start - end - step - 1) / -step : 0;
      // Taken forwards from the last element it reaches, then reversed.
      offsets[*axis] = count ? start + (count - 1) * step : 0;
      sizes[*axis] = count;
      reversed = true;
      step = -step;
    }
    strides[*axis] = step;
  }
  Value out = tensor::ExtractSliceOp::create(
      b, loc, x->value, getAsIndexOpFoldResult(ctx, offsets),
      getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, strides));
  if (reversed) {
    // Reverse the axes with negative steps.
    auto st = typeOf(out);
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < rank; ++i) {
      bool flip = false;
      for (size_t j = 0; j < axes.size(); ++j) {
        int64_t axis = axes[j] < 0 ? axes[j] + rank : axes[j];
        flip |= axis == i && steps[j] < 0;
      }
      exprs.push_back(flip ? getAffineConstantExpr(st.getDimSize(i) - 1, ctx) -
                                 getAffineDimExpr(i, ctx)
                           : getAffineDimExpr(i, ctx));
    }
    Value init = empty(st.getShape(), {}, st.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    out = linalg::GenericOp::create(
              b, loc, init.getType(), ValueRange{out}, ValueRange{init},
              SmallVector<AffineMap>{
                  AffineMap::get(rank, 0, exprs, ctx),
                  AffineMap::getMultiDimIdentityMap(rank, ctx)},
              iterators,
              [&](OpBuilder &bb, Location l, ValueRange args) {
                linalg::YieldOp::create(bb, l, args[0]);
              })
              .getResult(0);
  }
  define(node, 0, out, x->dataType);
  // A slice of a followed shape stays followed.
  if (std::optional<SmallVector<SymInt>> from = symInts(inputName(node, 0));
      from && rank == 1 && !reversed) {
    SmallVector<SymInt> ints;
    for (int64_t k = 0; k < sizes[0]; ++k)
      ints.push_back((*from)[offsets[0] + k * strides[0]]);
    setSymInts(node.output(0), ints);
  }
  return true;
}

bool Importer::split(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  int64_t rank = type.getRank();
  std::optional<int64_t> axis = normalizeAxis(node, attrInt(node, "axis", 0), rank);
  if (!axis)
    return false;
  if (type.isDynamicDim(*axis))
    return problem(node, "splitting a dynamic dim is not supported yet");
  int64_t n = type.getDimSize(*axis), outputs = node.output_size();
  SmallVector<int64_t> sizes;
  if (has(node, 1)) {
    std::optional<SmallVector<int64_t>> given = constInts(node, 1);
    if (!given)
      return false;
    sizes = *given;
  } else if (auto given = attrInts(node, "split")) {
    sizes = *given;
  } else {
    int64_t parts = attrInt(node, "num_outputs", outputs);
    int64_t each = (n + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::min(each, n - i * each));
  }
  int64_t total = 0;
  for (int64_t s : sizes)
    total += s;
  if (int64_t(sizes.size()) != outputs || total != n)
    return problem(node, "split sizes do not cover the axis");
  int64_t offset = 0;
  for (int64_t i = 0; i < outputs; ++i) {
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), extents,
        strides(rank, b.getIndexAttr(1));
    for (int64_t j = 0; j < rank; ++j)
      extents.push_back(j == *axis ? OpFoldResult(b.getIndexAttr(sizes[i]))
                                   : OpFoldResult(dim(x->value, j)));
    offsets[*axis] = b.getIndexAttr(sizes[i] ? offset : 0);
    offset += sizes[i];
    define(node, int(i),
           tensor::ExtractSliceOp::create(b, loc, x->value, offsets, extents,
                                          strides),
           x->dataType);
  }
  return true;
}

bool Importer::gather(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), idx = input(node, 1);
  if (!x || !idx)
    return false;
  auto type = typeOf(x->value), itype = typeOf(idx->value);
  if (!itype.getElementType().isSignlessInteger(32) &&
      !itype.getElementType().isSignlessInteger(64))
    return problem(node, "indices must be int32 or int64");
  int64_t rank = type.getRank();
  std::optional<int64_t> axis = normalizeAxis(node, attrInt(node, "axis", 0), rank);
  if (!axis)
    return false;
  // Output dims: data's before the axis, the indices', data's after it.
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  auto take = [&](Value v, int64_t i) {
    shape.push_back(typeOf(v).getDimSize(i));
    if (typeOf(v).isDynamicDim(i))
      dynamicSizes.push_back(dim(v, i));
  };
  for (int64_t i = 0; i < *axis; ++i)
    take(x->value, i);
  for (int64_t i = 0; i < itype.getRank(); ++i)
    take(idx->value, i);
  for (int64_t i = *axis + 1; i < rank; ++i)
    take(x->value, i);
  int64_t outRank = shape.size(), ir = itype.getRank();
  SmallVector<AffineExpr> idxExprs;
  for (int64_t i = 0; i < ir; ++i)
    idxExprs.push_back(getAffineDimExpr(*axis + i, ctx));
  Value init = empty(shape, dynamicSizes, type.getElementType());
  SmallVector<utils::IteratorType> iterators(outRank,
                                             utils::IteratorType::parallel);
  Value data = x->value;
  Value n = dim(data, *axis);
  auto op = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{idx->value}, ValueRange{init},
      SmallVector<AffineMap>{AffineMap::get(outRank, 0, idxExprs, ctx),
                             AffineMap::getMultiDimIdentityMap(outRank, ctx)},
      iterators, [&](OpBuilder &bb, Location l, ValueRange args) {
        // Negative indices count from the end; the index is then clamped
        // into the axis, so a bad index reads a valid row, never memory
        // outside the tensor.
        Value i = arith::IndexCastOp::create(bb, l, bb.getIndexType(), args[0]);
        Value zero = arith::ConstantIndexOp::create(bb, l, 0);
        Value negative =
            arith::CmpIOp::create(bb, l, arith::CmpIPredicate::slt, i, zero);
        i = arith::SelectOp::create(bb, l, negative,
                                    arith::AddIOp::create(bb, l, i, n), i);
        Value last = arith::SubIOp::create(
            bb, l, n, arith::ConstantIndexOp::create(bb, l, 1));
        i = arith::MaxSIOp::create(bb, l, zero,
                                   arith::MinSIOp::create(bb, l, i, last));
        SmallVector<Value> at;
        for (int64_t d = 0; d < *axis; ++d)
          at.push_back(linalg::IndexOp::create(bb, l, d));
        at.push_back(i);
        for (int64_t d = *axis + 1; d < rank; ++d)
          at.push_back(linalg::IndexOp::create(bb, l, d - 1 + ir));
        linalg::YieldOp::create(bb, l,
                                Value(tensor::ExtractOp::create(bb, l, data, at)));
      });
  define(node, 0, op.getResult(0), x->dataType);
  // Gathering from a followed shape with constant indices stays followed.
  std::optional<SmallVector<SymInt>> from = symInts(inputName(node, 0));
  auto jt = knownInts.find(inputName(node, 1));
  if (rank == 1 && from && jt != knownInts.end()) {
    int64_t count = int64_t(from->size());
    SmallVector<SymInt> ints;
    for (int64_t j : jt->second) {
      int64_t k = j < 0 ? j + count : j;
      if (k < 0 || k >= count)
        return problem(node, "index " + llvm::Twine(j) +
                                 " is out of range for " +
                                 llvm::Twine(count) + " elements");
      ints.push_back((*from)[k]);
    }
    setSymInts(node.output(0), ints);
  }
  return true;
}

bool Importer::expand(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  std::optional<SmallVector<SymInt>> dims = shapeInts(node, 1);
  if (!x || !dims)
    return false;
  // Broadcast against a tensor of the target shape.
  Type elem = typeOf(x->value).getElementType();
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  for (const SymInt &d : *dims) {
    if (d.isConstant() && d.constant < 0)
      return problem(node, "shape has a negative size");
    shape.push_back(d.isConstant() ? d.constant : ShapedType::kDynamic);
    if (!d.isConstant())
      dynamicSizes.push_back(d.value);
  }
  Value target = empty(shape, dynamicSizes, elem);
  std::optional<Value> out = elementwise(
      node, {x->value, target}, elem,
      [&](OpBuilder &, Location, ValueRange a) { return a[0]; });
  return result(node, out, x->dataType);
}

bool Importer::trilu(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  int64_t k = 0;
  if (has(node, 1)) {
    std::optional<SmallVector<int64_t>> given = constInts(node, 1);
    if (!given || given->size() != 1)
      return given ? problem(node, "k must hold one value") : false;
    k = (*given)[0];
  }
  bool upper = attrInt(node, "upper", 1) != 0;
  auto type = typeOf(x->value);
  int64_t rank = type.getRank();
  if (rank < 2)
    return problem(node, "needs rank 2 or more");
  Type elem = type.getElementType();
  std::optional<Value> out = elementwise(
      node, {x->value}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        Value row = linalg::IndexOp::create(bb, l, rank - 2);
        Value col = linalg::IndexOp::create(bb, l, rank - 1);
        // Kept: col - row >= k (upper) or col - row <= k (lower).
        Value diff = arith::SubIOp::create(
            bb, l, arith::IndexCastOp::create(bb, l, bb.getI64Type(), col),
            arith::IndexCastOp::create(bb, l, bb.getI64Type(), row));
        Value kv = arith::ConstantOp::create(bb, l, bb.getI64IntegerAttr(k));
        Value keep = arith::CmpIOp::create(
            bb, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
            diff, kv);
        Value zero = isa<FloatType>(elem)
                         ? arith::ConstantOp::create(bb, l, FloatAttr::get(elem, 0))
                         : arith::ConstantOp::create(bb, l, IntegerAttr::get(elem, 0));
        return arith::SelectOp::create(bb, l, keep, a[0], zero);
      });
  return result(node, out, x->dataType);
}

bool Importer::layerNorm(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), scale = input(node, 1);
  if (!x || !scale)
    return false;
  auto type = typeOf(x->value);
  Type elem = type.getElementType();
  if (!isa<FloatType>(elem))
    return problem(node, "integer operands are not supported");
  int64_t rank = type.getRank();
  std::optional<int64_t> axis = normalizeAxis(node, attrInt(node, "axis", -1), rank);
  if (!axis)
    return false;
  float epsilon = attrFloat(node, "epsilon", 1e-5f);
  SmallVector<int64_t> axes;
  int64_t count = 1;
  for (int64_t i = *axis; i < rank; ++i) {
    if (type.isDynamicDim(i))
      return problem(node, "normalizing over a dynamic dim is not supported yet");
    axes.push_back(i);
    count *= type.getDimSize(i);
  }
  auto fc = [&](OpBuilder &bb, Location l, double v) {
    return arith::ConstantOp::create(bb, l, FloatAttr::get(elem, v));
  };
  Value sum = reduce(x->value, axes, true, Combine::Sum);
  std::optional<Value> centered = elementwise(
      node, {x->value, sum}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        return arith::SubFOp::create(
            bb, l, a[0], arith::DivFOp::create(bb, l, a[1], fc(bb, l, count)));
      });
  if (!centered)
    return false;
  std::optional<Value> squares = elementwise(
      node, {*centered}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        return arith::MulFOp::create(bb, l, a[0], a[0]);
      });
  if (!squares)
    return false;
  Value variance = reduce(*squares, axes, true, Combine::Sum);
  std::optional<Value> invStd = elementwise(
      node, {variance}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        Value var = arith::DivFOp::create(bb, l, a[0], fc(bb, l, count));
        return math::RsqrtOp::create(
            bb, l, arith::AddFOp::create(bb, l, var, fc(bb, l, epsilon)));
      });
  if (!invStd)
    return false;
  SmallVector<Value> operands = {*centered, *invStd, scale->value};
  if (has(node, 2)) {
    std::optional<Tensor> bias = input(node, 2);
    if (!bias)
      return false;
    operands.push_back(bias->value);
  }
  std::optional<Value> out = elementwise(
      node, operands, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        Value y = arith::MulFOp::create(
            bb, l, arith::MulFOp::create(bb, l, a[0], a[1]), a[2]);
        return a.size() > 3 ? Value(arith::AddFOp::create(bb, l, y, a[3])) : y;
      });
  if (!out)
    return false;
  define(node, 0, *out, x->dataType);
  if (node.output_size() > 1 && !node.output(1).empty()) {
    std::optional<Value> mean = elementwise(
        node, {sum}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
          return arith::DivFOp::create(bb, l, a[0], fc(bb, l, count));
        });
    if (!mean)
      return false;
    define(node, 1, *mean, x->dataType);
  }
  define(node, 2, *invStd, x->dataType);
  return true;
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

Value Importer::alongAxis(Value p, int64_t axis, int64_t rank) {
  auto type = typeOf(p);
  if (type.getRank() != 1 || rank <= 1)
    return p;
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = type.getDimSize(0);
  return reshape(p, shape);
}

/// round-half-even(x / scale) + zero point, saturated to the zero point's
/// type (uint8 when absent).
bool Importer::quantizeLinear(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), scale = input(node, 1);
  if (!x || !scale)
    return false;
  int64_t rank = typeOf(x->value).getRank();
  // The axis matters for per-axis (1-D) parameters only.
  std::optional<int64_t> axis = 0;
  if (typeOf(scale->value).getRank() == 1)
    axis = normalizeAxis(node, attrInt(node, "axis", 1), rank);
  if (!axis)
    return false;
  SmallVector<Value> operands = {x->value,
                                 alongAxis(scale->value, *axis, rank)};
  int outType = onnx::TensorProto::UINT8;
  if (has(node, 2)) {
    std::optional<Tensor> zp = input(node, 2);
    if (!zp)
      return false;
    outType = zp->dataType;
    operands.push_back(alongAxis(zp->value, *axis, rank));
  }
  if (outType != onnx::TensorProto::UINT8 && outType != onnx::TensorProto::INT8)
    return problem(node, "quantizes to int8 or uint8 only");
  bool toUnsigned = outType == onnx::TensorProto::UINT8;
  Type f32 = b.getF32Type(), i8 = b.getI8Type();
  std::optional<Value> out = elementwise(
      node, operands, i8, [&](OpBuilder &bb, Location l, ValueRange a) {
        Value v = castElement(bb, l, a[0], f32, false, false);
        Value q = math::RoundEvenOp::create(
            bb, l, arith::DivFOp::create(
                       bb, l, v, castElement(bb, l, a[1], f32, false, false)));
        if (a.size() > 2)
          q = arith::AddFOp::create(
              bb, l, q, castElement(bb, l, a[2], f32, toUnsigned, false));
        auto c = [&](double v) {
          return arith::ConstantOp::create(bb, l, bb.getF32FloatAttr(v));
        };
        q = arith::MaximumFOp::create(bb, l, q, c(toUnsigned ? 0 : -128));
        q = arith::MinimumFOp::create(bb, l, q, c(toUnsigned ? 255 : 127));
        return toUnsigned ? Value(arith::FPToUIOp::create(bb, l, i8, q))
                          : Value(arith::FPToSIOp::create(bb, l, i8, q));
      });
  return result(node, out, outType);
}

/// (x - zero point) * scale in f32.
bool Importer::dequantizeLinear(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), scale = input(node, 1);
  if (!x || !scale)
    return false;
  int64_t rank = typeOf(x->value).getRank();
  // The axis matters for per-axis (1-D) parameters only.
  std::optional<int64_t> axis = 0;
  if (typeOf(scale->value).getRank() == 1)
    axis = normalizeAxis(node, attrInt(node, "axis", 1), rank);
  if (!axis)
    return false;
  SmallVector<Value> operands = {x->value,
                                 alongAxis(scale->value, *axis, rank)};
  if (has(node, 2)) {
    std::optional<Tensor> zp = input(node, 2);
    if (!zp)
      return false;
    operands.push_back(alongAxis(zp->value, *axis, rank));
  }
  bool fromUnsigned = isUnsigned(x->dataType);
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  std::optional<Value> out = elementwise(
      node, operands, f32, [&](OpBuilder &bb, Location l, ValueRange a) {
        // The difference in i32 (exact), then scaled.
        Value v = castElement(bb, l, a[0], i32, fromUnsigned, false);
        if (a.size() > 2)
          v = arith::SubIOp::create(
              bb, l, v, castElement(bb, l, a[2], i32, fromUnsigned, false));
        return arith::MulFOp::create(
            bb, l, castElement(bb, l, v, f32, false, false),
            castElement(bb, l, a[1], f32, false, false));
      });
  return result(node, out, onnx::TensorProto::FLOAT);
}

/// uint8 quantization with the scale and zero point of the data's range
/// (always including 0): scale = (max - min) / 255, zero point =
/// saturate(round(-min / scale)).
bool Importer::dynamicQuantizeLinear(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0);
  if (!x)
    return false;
  auto type = typeOf(x->value);
  if (!type.getElementType().isF32())
    return problem(node, "quantizes f32 only");
  SmallVector<int64_t> all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  Value lo = reduce(x->value, all, false, Combine::Min);
  Value hi = reduce(x->value, all, false, Combine::Max);
  Type f32 = b.getF32Type(), i8 = b.getI8Type();
  auto c = [&](OpBuilder &bb, Location l, double v) {
    return arith::ConstantOp::create(bb, l, bb.getF32FloatAttr(v));
  };
  std::optional<Value> scale = elementwise(
      node, {lo, hi}, f32, [&](OpBuilder &bb, Location l, ValueRange a) {
        Value mn = arith::MinimumFOp::create(bb, l, a[0], c(bb, l, 0));
        Value mx = arith::MaximumFOp::create(bb, l, a[1], c(bb, l, 0));
        return arith::DivFOp::create(
            bb, l, arith::SubFOp::create(bb, l, mx, mn), c(bb, l, 255));
      });
  if (!scale)
    return false;
  auto saturate = [&](OpBuilder &bb, Location l, Value q) -> Value {
    q = arith::MaximumFOp::create(bb, l, q, c(bb, l, 0));
    q = arith::MinimumFOp::create(bb, l, q, c(bb, l, 255));
    return arith::FPToUIOp::create(bb, l, i8, q);
  };
  std::optional<Value> zp = elementwise(
      node, {lo, *scale}, i8, [&](OpBuilder &bb, Location l, ValueRange a) {
        Value mn = arith::MinimumFOp::create(bb, l, a[0], c(bb, l, 0));
        Value q = math::RoundEvenOp::create(
            bb, l, arith::NegFOp::create(
                       bb, l, arith::DivFOp::create(bb, l, mn, a[1])));
        return saturate(bb, l, q);
      });
  if (!zp)
    return false;
  std::optional<Value> y = elementwise(
      node, {x->value, *scale, *zp}, i8,
      [&](OpBuilder &bb, Location l, ValueRange a) {
        Value q = math::RoundEvenOp::create(
            bb, l, arith::DivFOp::create(bb, l, a[0], a[1]));
        q = arith::AddFOp::create(bb, l, q,
                                  arith::UIToFPOp::create(bb, l, f32, a[2]));
        return saturate(bb, l, q);
      });
  if (!y)
    return false;
  define(node, 0, *y, onnx::TensorProto::UINT8);
  define(node, 1, *scale, onnx::TensorProto::FLOAT);
  define(node, 2, *zp, onnx::TensorProto::UINT8);
  return true;
}

/// (A - a_zero_point) x (B - b_zero_point) in int32.
bool Importer::matmulInteger(const onnx::NodeProto &node) {
  std::optional<Tensor> a = input(node, 0), w = input(node, 1);
  if (!a || !w)
    return false;
  Type i32 = b.getI32Type();
  // Each operand widened to i32 less its zero point: per tensor, per row of
  // A ([M] -> [M, 1]) or per column of B ([N]).
  auto widen = [&](Tensor t, int zpIndex, bool rows) -> std::optional<Value> {
    SmallVector<Value> operands = {t.value};
    bool zpUnsigned = false;
    if (has(node, zpIndex)) {
      std::optional<Tensor> zp = input(node, zpIndex);
      if (!zp)
        return std::nullopt;
      Value z = zp->value;
      if (rows && typeOf(z).getRank() == 1)
        z = reshape(z, {typeOf(z).getDimSize(0), 1});
      operands.push_back(z);
      zpUnsigned = isUnsigned(zp->dataType);
    }
    bool tUnsigned = isUnsigned(t.dataType);
    return elementwise(node, operands, i32,
                       [&](OpBuilder &bb, Location l, ValueRange v) -> Value {
                         Value x = castElement(bb, l, v[0], i32, tUnsigned, false);
                         if (v.size() < 2)
                           return x;
                         return arith::SubIOp::create(
                             bb, l, x,
                             castElement(bb, l, v[1], i32, zpUnsigned, false));
                       });
  };
  std::optional<Value> lhs = widen(*a, 2, true), rhs = widen(*w, 3, false);
  if (!lhs || !rhs)
    return false;
  std::optional<Value> out = contract(node, *lhs, *rhs, false, false, i32);
  return result(node, out, onnx::TensorProto::INT32);
}

bool Importer::castLike(const onnx::NodeProto &node) {
  std::optional<Tensor> x = input(node, 0), like = input(node, 1);
  if (!x || !like)
    return false;
  Type elem = typeOf(like->value).getElementType();
  std::optional<Value> out = elementwise(
      node, {x->value}, elem, [&](OpBuilder &bb, Location l, ValueRange a) {
        return castElement(bb, l, a[0], elem, isUnsigned(x->dataType),
                           isUnsigned(like->dataType));
      });
  return result(node, out, like->dataType);
}

//===----------------------------------------------------------------------===//
// The whole graph
//===----------------------------------------------------------------------===//

std::vector<Importer::GraphInput> Importer::graphInputs() {
  std::set<std::string> initializers;
  for (const onnx::TensorProto &t : graph.initializer())
    initializers.insert(t.name());
  std::vector<GraphInput> inputs;
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (initializers.count(info.name()))
      continue;
    const onnx::TypeProto_Tensor &tensor = info.type().tensor_type();
    Type elem = info.type().has_tensor_type()
                    ? elementType(ctx, tensor.elem_type())
                    : Type();
    if (!elem || !tensor.has_shape()) {
      problems.push_back(model.path + ": graph input '" + info.name() +
                         "' is not a tensor of a supported element type and "
                         "known rank");
      continue;
    }
    SmallVector<int64_t> shape;
    for (const onnx::TensorShapeProto_Dimension &d : tensor.shape().dim())
      shape.push_back(d.has_dim_value() ? d.dim_value() : ShapedType::kDynamic);
    inputs.push_back({info.name(), RankedTensorType::get(shape, elem),
                      tensor.elem_type()});
  }
  return inputs;
}

void Importer::resetValues() {
  values.clear();
  knownInts.clear();
  knownFloats.clear();
  symbolicInts.clear();
  failed.clear();
  quantScales.clear();
}

bool Importer::importNodes() {
  for (const onnx::TensorProto &t : graph.initializer())
    addInitializer(t);
  if (!problems.empty())
    return false;
  for (const onnx::NodeProto &node : graph.node()) {
    loc = NameLoc::get(b.getStringAttr(node.name().empty() ? node.op_type()
                                                           : node.name()));
    if (!recognize(node) && !(this->*lookup(node.op_type()))(node))
      failed.insert(node.output().begin(), node.output().end());
  }
  loc = UnknownLoc::get(ctx);
  return problems.empty();
}

OwningOpRef<ModuleOp> Importer::run(const ImportOptions &options,
                                    ModelInfo &info, std::string &error,
                                    std::vector<std::string> &warnings) {
  auto fail = [&]() -> OwningOpRef<ModuleOp> {
    error = llvm::join(problems, "\n");
    return nullptr;
  };
  if (!checkOpsets(warnings) || !checkSupported())
    return fail();
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &out : node.output())
      if (!out.empty())
        producers[out] = &node;
  std::vector<GraphInput> inputs = graphInputs();
  if (!problems.empty())
    return fail();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);

  // A causal language model becomes KV-cache entry points.
  if (options.liftLanguageModel && surveyLanguageModel(inputs)) {
    lm.capacity = options.context > 0 ? options.context : 2048;
    headInt8 = options.headInt8;
    std::optional<int64_t> dynamic;
    if (!buildLiftedEntry(*module, "prefill", inputs[0], dynamic, false) ||
        !buildLiftedEntry(*module, "prefill_last", inputs[0], dynamic, true) ||
        !buildLiftedEntry(*module, "decode", inputs[0], 1, false))
      return fail();
    info.architecture = "onnx";
    info.layers = lm.layers;
    info.kvHeads = lm.kvHeads;
    info.headDim = lm.headDim;
    info.context = lm.capacity;
    info.vocab = lm.vocab;
    info.layerMacs = lm.layerMacs;
    return module;
  }
  if (options.liftLanguageModel && !lm.whyNot.empty())
    warnings.push_back(model.path + ": imported as 'main', not as a language "
                                    "model with a KV cache: " +
                       lm.whyNot);
  problems.clear();
  resetValues();

  b.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argTypes;
  for (const GraphInput &in : inputs)
    argTypes.push_back(in.type);
  auto func = func::FuncOp::create(b, loc, "main",
                                   b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  for (auto [i, in] : llvm::enumerate(inputs))
    values[in.name] = {entry->getArgument(i), in.dataType};
  if (!importNodes())
    return fail();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      if (failed.count(out.name()))
        continue;
      problems.push_back(model.path + ": graph output '" + out.name() +
                         "' is not produced by any node");
      continue;
    }
    results.push_back(it->second.value);
  }
  if (!problems.empty())
    return fail();
  func::ReturnOp::create(b, loc, results);
  SmallVector<Type> resultTypes;
  for (Value v : results)
    resultTypes.push_back(v.getType());
  func.setFunctionType(b.getFunctionType(argTypes, resultTypes));
  // uint8 tensors cross the entry point as unsigned bytes.
  auto unsignedAttr = b.getNamedAttr("tern.unsigned", b.getUnitAttr());
  for (auto [i, in] : llvm::enumerate(inputs))
    if (in.dataType == onnx::TensorProto::UINT8)
      func.setArgAttrs(i, {unsignedAttr});
  for (auto [i, out] : llvm::enumerate(graph.output()))
    if (values[out.name()].dataType == onnx::TensorProto::UINT8)
      func.setResultAttrs(i, {unsignedAttr});
  return module;
}

OwningOpRef<ModuleOp>
mlir::tern::onnx_import::importModel(MLIRContext *context, OnnxModel &model,
                                     const ImportOptions &options,
                                     ModelInfo &info, std::string &error,
                                     std::vector<std::string> &warnings) {
  context->loadDialect<arith::ArithDialect, bufferization::BufferizationDialect,
                       func::FuncDialect, linalg::LinalgDialect,
                       math::MathDialect, tensor::TensorDialect,
                       tern::TernDialect>();
  return Importer(context, model.impl()).run(options, info, error, warnings);
}
