//===- Importer.h - The ONNX graph importer's state ---------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Private to lib/Import/ONNX: Import.cpp lowers ONNX ops one node at a time;
// Recognize.cpp matches the subgraphs that exported BitNet models spell out
// op by op (activation quantization, RMSNorm, causal attention) and lowers
// them to tern ops.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_LIB_IMPORT_ONNX_IMPORTER_H
#define TERN_LIB_IMPORT_ONNX_IMPORTER_H

#include "Model.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace mlir::tern::onnx_import::detail {

/// The MLIR element type of an ONNX TensorProto.DataType (unsigned types
/// are signless integers; the importer remembers signedness separately).
Type elementType(MLIRContext *ctx, int dataType);
bool isUnsigned(int dataType);

/// Default-domain opsets this build reads (the libonnx 1.12 schema).
constexpr int64_t kMinOpset = 13, kMaxOpset = 17;

/// A value of the graph: the SSA value and its ONNX element type.
struct Tensor {
  Value value;
  int dataType = 0;
};

/// One element of a small integer tensor the importer follows at compile time
/// (a shape, axes, indices): a constant, or an `index` value computed at run
/// time from tensor dims (a sequence length).
struct SymInt {
  int64_t constant = 0;
  Value value;             // set when not a constant
  bool nonNegative = true; // a size, or arithmetic keeping sizes >= 0
  /// The sequence length of a lifted language model's token input (its
  /// copies keep the mark; arithmetic drops it).
  bool sequence = false;
  bool isConstant() const { return !value; }
  static SymInt of(int64_t c) { return {c, Value(), c >= 0}; }
};

/// What the importer learns about a causal language model's graph while it
/// lowers it, and the state of a lifted (KV-cache) entry point.
struct LanguageModel {
  // Found by a survey import of the prefill graph.
  int64_t layers = 0, heads = 0, kvHeads = 0, headDim = 0, vocab = 0;
  /// Multiply-accumulates per token of the products by constant matrices
  /// other than the output head.
  int64_t layerMacs = 0;
  /// Why the graph cannot be lifted ("" when it can).
  std::string whyNot;
  // The entry point being built.
  bool lifting = false, lastOnly = false;
  Value tokens, position, keyCache, valueCache;
  int64_t capacity = 0, layer = 0;
};

class Importer {
public:
  Importer(MLIRContext *context, OnnxModel::Impl &model)
      : ctx(context), b(context), loc(UnknownLoc::get(context)), model(model),
        graph(model.proto.graph()) {}

  OwningOpRef<ModuleOp> run(const ImportOptions &options, ModelInfo &info,
                            std::string &error,
                            std::vector<std::string> &warnings);

private:
  using NodeFn = bool (Importer::*)(const onnx::NodeProto &);

  // Problems are collected; the import fails at the end if there are any.
  bool problem(const onnx::NodeProto &node, const llvm::Twine &message) {
    problems.push_back(model.path + ": node '" + node.name() + "' (" +
                       node.op_type() + "): " + message.str());
    return false;
  }
  static NodeFn lookup(llvm::StringRef opType);
  bool checkOpsets(std::vector<std::string> &warnings);
  bool checkSupported();
  bool addInitializer(const onnx::TensorProto &tensor);
  std::optional<Tensor> constantTensor(const onnx::TensorProto &tensor,
                                       const std::string &name);

  // Operands and results.
  bool has(const onnx::NodeProto &node, int i) const {
    return i >= 0 && i < node.input_size() && !node.input(i).empty();
  }
  /// Input i's name, "" when the node has fewer inputs (as ONNX spells a
  /// missing optional input): never an index past the end, whatever the
  /// file says.
  static const std::string &inputName(const onnx::NodeProto &node, int i) {
    static const std::string none;
    return i >= 0 && i < node.input_size() ? node.input(i) : none;
  }
  std::optional<Tensor> input(const onnx::NodeProto &node, int i);
  void define(const onnx::NodeProto &node, int i, Value value, int dataType);
  /// Defines output 0 as `out`; false (the problem already said) if none.
  bool result(const onnx::NodeProto &node, std::optional<Value> out,
              int dataType) {
    if (out)
      define(node, 0, *out, dataType);
    return out.has_value();
  }
  /// Axes from input 1 (opset 13 on) or the `axes` attribute (before);
  /// empty when neither is given, nullopt after a problem.
  std::optional<SmallVector<int64_t>> axesOperand(const onnx::NodeProto &node) {
    if (has(node, 1))
      return constInts(node, 1);
    return attrInts(node, "axes").value_or(SmallVector<int64_t>());
  }
  /// Output 0 holds input 0's values (a reshape, a cast): keeps them known.
  void carryKnownInts(const onnx::NodeProto &node) {
    if (auto it = knownInts.find(node.input(0)); it != knownInts.end())
      knownInts[node.output(0)] = it->second;
    if (auto it = symbolicInts.find(node.input(0)); it != symbolicInts.end())
      symbolicInts[node.output(0)] = it->second;
  }
  /// The elements of a small integer tensor known at import, constant or
  /// computed from dims; nullopt if the importer does not follow it.
  std::optional<SmallVector<SymInt>> symInts(const std::string &name) const;
  void setSymInts(const std::string &name, ArrayRef<SymInt> ints);
  /// symInts of operand `i`, or a problem saying what the operand must be.
  std::optional<SmallVector<SymInt>> shapeInts(const onnx::NodeProto &node,
                                               int i);
  /// Dim `i` of `v` as a SymInt, and a SymInt as an `index` value.
  SymInt dimOf(Value v, int64_t i);
  Value indexOf(const SymInt &s);
  /// Integer arithmetic or comparison (ONNX op name) on followed elements,
  /// folded where the operands allow; nullopt for other ops.
  std::optional<SymInt> combine(llvm::StringRef op, const SymInt &x,
                                const SymInt &y);
  /// Follows an element-wise integer op on small followed tensors.
  void followElementwise(const onnx::NodeProto &node);
  /// Every input of a variadic op (Concat, Max...); nullopt if one is
  /// undefined or there is none.
  std::optional<SmallVector<Value>> allInputs(const onnx::NodeProto &node,
                                              int &dataType);
  /// The values of a constant integer tensor operand (shape-like inputs).
  std::optional<SmallVector<int64_t>> constInts(const onnx::NodeProto &node,
                                                int i);
  std::optional<SmallVector<double>> constFloats(const onnx::NodeProto &node,
                                                 int i);

  // Attributes.
  const onnx::AttributeProto *attr(const onnx::NodeProto &node,
                                   llvm::StringRef name) const;
  int64_t attrInt(const onnx::NodeProto &node, llvm::StringRef name,
                  int64_t dflt) const;
  float attrFloat(const onnx::NodeProto &node, llvm::StringRef name,
                  float dflt) const;
  std::optional<SmallVector<int64_t>> attrInts(const onnx::NodeProto &node,
                                               llvm::StringRef name) const;

  // Builders.
  static RankedTensorType typeOf(Value v) {
    return cast<RankedTensorType>(v.getType());
  }
  Value dim(Value v, int64_t i);
  Value empty(ArrayRef<int64_t> shape, ArrayRef<Value> dynamicSizes,
              Type elem);
  using Body = function_ref<Value(OpBuilder &, Location, ValueRange)>;
  /// out = body(operands...) elementwise, operands broadcast numpy-style.
  std::optional<Value> elementwise(const onnx::NodeProto &node,
                                   ArrayRef<Value> operands, Type resultElem,
                                   Body body);
  Value splat(Type elem, double value);
  Value castElement(OpBuilder &bb, Location l, Value v, Type to,
                    bool fromUnsigned, bool toUnsigned);
  /// Sum / max / min / product over `axes` (sorted, normalized), dropping
  /// them, or keeping them as 1s.
  enum class Combine { Sum, Max, Min, Prod };
  Value reduce(Value x, ArrayRef<int64_t> axes, bool keepDims, Combine kind);
  Value reshape(Value x, ArrayRef<int64_t> shape);
  /// A 1-D i64 tensor of `sizes` (index values): a shape operand or result.
  Value shapeOf(ArrayRef<Value> sizes);
  std::optional<int64_t> normalizeAxis(const onnx::NodeProto &node,
                                       int64_t axis, int64_t rank);

  // Ops.
  bool unary(const onnx::NodeProto &node);
  bool binary(const onnx::NodeProto &node);
  bool variadic(const onnx::NodeProto &node);
  bool compare(const onnx::NodeProto &node);
  bool logical(const onnx::NodeProto &node);
  bool where(const onnx::NodeProto &node);
  bool clip(const onnx::NodeProto &node);
  bool castOp(const onnx::NodeProto &node);
  bool identity(const onnx::NodeProto &node);
  bool constant(const onnx::NodeProto &node);
  bool constantOfShape(const onnx::NodeProto &node);
  bool shape(const onnx::NodeProto &node);
  bool matmul(const onnx::NodeProto &node);
  bool gemm(const onnx::NodeProto &node);
  bool transpose(const onnx::NodeProto &node);
  bool reshapeOp(const onnx::NodeProto &node);
  std::optional<Value> reshapeTo(const onnx::NodeProto &node, Value x,
                                 ArrayRef<SymInt> target, bool allowZero);
  bool flatten(const onnx::NodeProto &node);
  bool squeeze(const onnx::NodeProto &node);
  bool unsqueeze(const onnx::NodeProto &node);
  bool reduceOp(const onnx::NodeProto &node);
  bool softmax(const onnx::NodeProto &node);
  bool concat(const onnx::NodeProto &node);
  bool slice(const onnx::NodeProto &node);
  bool sliceDynamic(const onnx::NodeProto &node, const Tensor &x);
  bool sliceAxesAndSteps(const onnx::NodeProto &node, size_t starts,
                         size_t ends, SmallVector<int64_t> &axes,
                         SmallVector<int64_t> &steps);
  /// [start, start + step, ...], `count` (index) elements of type `elem`.
  Value sequence(Value start, Value step, Value count, Type elem);
  bool split(const onnx::NodeProto &node);
  bool gather(const onnx::NodeProto &node);
  bool expand(const onnx::NodeProto &node);
  bool range(const onnx::NodeProto &node);
  bool rangeDynamic(const onnx::NodeProto &node, const Tensor &t);
  bool trilu(const onnx::NodeProto &node);
  bool layerNorm(const onnx::NodeProto &node);
  bool quantizeLinear(const onnx::NodeProto &node);
  bool dequantizeLinear(const onnx::NodeProto &node);
  bool dynamicQuantizeLinear(const onnx::NodeProto &node);
  bool matmulInteger(const onnx::NodeProto &node);
  bool castLike(const onnx::NodeProto &node);
  /// A per-axis (1-D) quantization parameter reshaped to broadcast along
  /// `axis` of a rank-`rank` tensor; scalars as they are.
  Value alongAxis(Value p, int64_t axis, int64_t rank);

  /// C = A x B over the last two dims, batch dims broadcast; 1-D operands
  /// as numpy's matmul. Transposes swap the last two dims of an operand.
  std::optional<Value> contract(const onnx::NodeProto &node, Value a, Value b2,
                                bool transA, bool transB, Type resultElem);

  MLIRContext *ctx;
  OpBuilder b;
  Location loc;
  OnnxModel::Impl &model;
  const onnx::GraphProto &graph;
  int64_t opset = 0;
  std::map<std::string, Tensor> values;
  /// Constant integer tensors seen so far (initializers, Constant nodes,
  /// shapes of static tensors), for shape-like operands.
  std::map<std::string, SmallVector<int64_t>> knownInts;
  /// Small integer tensors with run-time elements (shapes of tensors with a
  /// dynamic sequence length, and what shape arithmetic makes of them).
  std::map<std::string, SmallVector<SymInt>> symbolicInts;
  std::map<std::string, SmallVector<double>> knownFloats;
  std::vector<std::string> problems;
  /// Outputs of nodes that failed to import (not reported again downstream).
  std::set<std::string> failed;

  // The graph as a whole: the node making each value.
  std::map<std::string, const onnx::NodeProto *> producers;
  /// Lowers every node into the current insertion point, recognizing the
  /// subgraphs Recognize.cpp knows; false if any node failed.
  bool importNodes();
  /// Forgets the values of the last import (a new entry point starts).
  void resetValues();
  /// The graph's inputs that are not initializers: (name, type, data type).
  struct GraphInput {
    std::string name;
    RankedTensorType type;
    int dataType;
  };
  std::vector<GraphInput> graphInputs();
  // Language models (a prefill graph lifted to KV-cache entry points).
  LanguageModel lm;
  bool headInt8 = false;
  /// The lifted entry point's token ids: Shape of it marks the sequence
  /// length (SymInt::sequence).
  Value idsInput;
  bool surveyLanguageModel(const std::vector<GraphInput> &inputs);
  bool buildLiftedEntry(ModuleOp module, llvm::StringRef name,
                        const GraphInput &ids, std::optional<int64_t> tokens,
                        bool lastOnly);
  /// Initializer constants by name, shared by every entry point.
  std::map<std::string, TypedAttr> initializerAttrs;

  // Recognizers (Recognize.cpp).
  bool recognize(const onnx::NodeProto &node);
  const onnx::NodeProto *producer(const std::string &name,
                                  llvm::StringRef type) const;
  std::optional<double> scalarConstant(const std::string &name) const;
  bool isLastAxisReduce(const onnx::NodeProto &node, Value x);
  /// x as [rows, last dim] and back to `like`'s leading dims.
  Value rows(Value x);
  Value unrows(Value y, Value like, int64_t lastDim);
  bool matchAbsmax(const std::string &m, std::string &x, double &epsilon);
  bool matchInverseScale(const std::string &c, std::string &m);
  bool activationQuant(const onnx::NodeProto &node);
  bool matchInverseRms(std::string r, std::string &x, double &epsilon);
  bool rmsNorm(const onnx::NodeProto &node);
  TypedAttr transposedConstant(Value w, const std::string &name);
  /// K before a grouped-query repeat (itself when there is none).
  std::string unrepeated(const std::string &k) const;
  bool linearMatMul(const onnx::NodeProto &node);
  bool dequantizedMatMul(const onnx::NodeProto &node,
                         const onnx::NodeProto &dq);
  bool causalAttention(const onnx::NodeProto &node);
  bool positionRange(const onnx::NodeProto &node);
  /// Scales of recognized activation quantizations by their absmax's name.
  std::map<std::string, Value> quantScales;
  std::map<std::string, TypedAttr> transposedWeights;
  std::map<std::string, std::pair<TypedAttr, TypedAttr>> int8Heads;
};

} // namespace mlir::tern::onnx_import::detail

#endif // TERN_LIB_IMPORT_ONNX_IMPORTER_H
