//===- Import.cpp - Hugging Face BitNet checkpoints to tern IR ------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Tensor names, packing and scale direction follow ../shared/FORMATS.md
// (transformers' integrations/bitnet.py): packed weights are uint8
// [out/4, in], byte [r, c] holding rows r + i*out/4 at bits 2i, code = w + 1;
// `weight_scale` multiplies under linear_class "autobitlinear" and divides
// under "bitlinear".
//
// GGUF models come here as checkpoints too (Import/GGUF/Model.h), with their
// own weight rule (docs/gguf.md, and the numpy reference
// python/tern/gguf/reference.py that computes the same): low-bit block types
// (TQ1_0, TQ2_0, I2_S: ternary; Q1_0: binary) and float weights whose values
// are exactly {-g, 0, g} run as BitNet linears with per-token int8
// activations, their scales kept exact (one per tensor, per row or per
// block); any other weight runs as an f32 matmul.
//
//===----------------------------------------------------------------------===//
#include "tern/Import/HF/Import.h"
#include "tern/Dialect/Tern/IR/TernOps.h"
#include "tern/Import/GGUF/Blocks.h"
#include "tern/Import/GGUF/Gguf.h"
#include "tern/Support/Quantization.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace mlir;
using namespace mlir::tern;
using namespace mlir::tern::hf;
namespace json = llvm::json;

namespace {

/// How a linear layer's weights are stored.
enum class Weights {
  HfPacked,  ///< uint8 [out/4, in] + weight_scale (transformers' BitNet)
  Ternarize, ///< float, ternarized at compile time (absmean, per tensor)
  Gguf,      ///< a GGUF tensor: low-bit blocks, or float (see the top)
};

/// How one architecture names and wires its pieces.
struct Architecture {
  llvm::StringRef name;
  Weights weights;
  bool squaredRelu;                        ///< relu(gate)^2 * up, or SwiGLU
  llvm::StringRef attnSubNorm, ffnSubNorm; ///< empty: none
  bool qkNorm = false; ///< RMSNorm of each query and key head (Qwen3)
  RopeStyle rope = RopeStyle::Half;
};

constexpr Architecture kBitNet2B4T = {"BitNetForCausalLM", Weights::HfPacked,
                                      true, "self_attn.attn_sub_norm",
                                      "mlp.ffn_sub_norm"};
constexpr Architecture kBitnet1bitLLM = {"BitnetForCausalLM",
                                         Weights::Ternarize, false,
                                         "self_attn.inner_attn_ln",
                                         "mlp.ffn_layernorm"};
constexpr Architecture kLlamaBitnet = {"LlamaForCausalLM", Weights::HfPacked,
                                       false, "", ""};
// GGUF graphs (general.architecture). llama.cpp's converter permutes llama's
// q/k rows so that its RoPE rotates adjacent pairs: interleaved.
constexpr Architecture kGgufArchitectures[] = {
    {"llama", Weights::Gguf, false, "", "", false, RopeStyle::Interleaved},
    {"bitnet", Weights::Gguf, false, "self_attn.attn_sub_norm",
     "mlp.ffn_sub_norm"},
    {"bitnet-b1.58", Weights::Gguf, true, "self_attn.attn_sub_norm",
     "mlp.ffn_sub_norm"},
    {"bitnet-25", Weights::Gguf, true, "self_attn.attn_sub_norm",
     "mlp.ffn_sub_norm"},
    {"qwen3", Weights::Gguf, false, "", "", true},
};

/// A linear layer's weights as the importer builds them.
struct LinearWeight {
  /// Float weights that are not ternary: an f32 matmul.
  bool isFloat = false;
  ::tern::WeightKind kind = ::tern::WeightKind::Ternary;
  std::vector<int8_t> values; ///< [out, in]: -1, 0, 1
  /// [out, groups]: weight [n, k] = values[n, k] * scales[n, k / (in / groups)].
  std::vector<float> scales;
  int64_t groups = 1;
  std::vector<float> floats; ///< isFloat: [out, in]
  /// isFloat: the F16 or BF16 tensor `floats` came from unchanged (kept in
  /// its own type rather than widened to f32), or null.
  const Tensor *halfSource = nullptr;
};

struct Config {
  const Architecture *arch = nullptr;
  int64_t hidden = 0, intermediate = 0, layers = 0, heads = 0, kvHeads = 0,
          headDim = 0, vocab = 0, maxPositions = 0;
  float rmsEps = 1e-5f, ropeTheta = 10000.0f;
  bool tied = true;
  bool scaleDivides = false; ///< linear_class "bitlinear"
  int64_t bos = -1, eos = -1;
};

/// Reads a layer function's weight arguments in order.
struct ParamCursor {
  ValueRange values;
  size_t next = 0;
  Value take() { return values[next++]; }
};

class Importer {
public:
  Importer(MLIRContext *context, const Checkpoint &checkpoint,
           const ImportOptions &options)
      : context(context), ckpt(checkpoint), options(options),
        b(context), loc(UnknownLoc::get(context)) {}

  OwningOpRef<ModuleOp> run(ModelInfo &info, std::string &error);

private:
  bool readConfig();
  void problem(const llvm::Twine &message) { problems.push_back(message.str()); }
  /// The tensor `name` with `shape` (and one of `dtypes`), or null after
  /// recording why not.
  const Tensor *expect(llvm::StringRef name, llvm::ArrayRef<int64_t> shape,
                       llvm::ArrayRef<Dtype> dtypes);
  void checkTensors();

  // Values, built inside the current function.
  Value constant(const Tensor &t, Type elementType,
                 llvm::ArrayRef<int64_t> shape);
  Value floatTable(const Tensor &t);
  /// Whether the GGUF head runs as a BitNet linear (low-bit blocks, or
  /// ternary-valued floats).
  bool lowBitHead(const Tensor &t);
  Value f32Constant(float v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value emptyLike(Value t, Type elementType);
  Value empty(llvm::ArrayRef<OpFoldResult> sizes, Type elementType) {
    return tensor::EmptyOp::create(b, loc, sizes, elementType);
  }
  /// x * weight / rms(x), `weight` converted to f32 first when it is not.
  Value rmsNorm(Value x, Value weight);
  Value toF32(Value t);
  Value linear(Value x, ParamCursor &params, int64_t outFeatures);
  /// The layout of an [n, k] weight matrix of `kind`.
  ::tern::Layout layoutFor(int64_t n, int64_t k,
                           ::tern::WeightKind kind = ::tern::WeightKind::Ternary);
  /// Columns [offset, offset + size) of the 2-D `t` (a view, not a copy).
  Value columns(Value t, int64_t offset, int64_t size);
  Value embed(Value tokens);
  Value lowBitEmbed(Value tokens, const Tensor &t);
  Value gatherRows(
      Value tokens,
      function_ref<Value(OpBuilder &, Location, Value, Value)> element);
  Value positions(Value tokens, Value position);
  Value add(Value x, Value y);
  Value gatedActivation(Value gate, Value up);
  Value logits(Value h);
  Value attentionBlock(Value h, ParamCursor &params, Value positionList,
                       Value position, Value layer, Value &keyCache,
                       Value &valueCache);
  /// An entry point over `tokens` tokens (dynamic when none); `lastOnly`
  /// returns the logits of the last position only.
  void buildForward(ModuleOp module, llvm::StringRef name,
                    std::optional<int64_t> tokens, bool lastOnly = false);

  // A layer's weights, made in the entry point and passed to the layer
  // function in the order the layer consumes them.
  void layerParams(int64_t layer, llvm::SmallVectorImpl<Value> &params);
  void normParam(const std::string &name, llvm::SmallVectorImpl<Value> &params);
  /// The projections `prefixes` (which share their input: q/k/v, gate/up)
  /// as one weight, their rows stacked in order: packed in options.layout
  /// with a scale per tensor (one projection) or per output row (several),
  /// or dequantized to f32/bf16 for the dense baseline (no scale).
  void linearParams(llvm::ArrayRef<std::string> prefixes,
                    llvm::ArrayRef<int64_t> outFeatures, int64_t inFeatures,
                    llvm::SmallVectorImpl<Value> &params);
  /// The weights of `prefixes` as the checkpoint names them, quoted.
  std::string sourceNames(llvm::ArrayRef<std::string> prefixes);
  /// linearParams' weight (packed, or float) and scales (null for float).
  void buildLinear(const std::string &key, llvm::ArrayRef<std::string> prefixes,
                   llvm::ArrayRef<int64_t> outFeatures, int64_t inFeatures,
                   ElementsAttr &weight, ElementsAttr &scales);
  /// The private function computing one decoder layer with operands of
  /// `type`, built on first use.
  func::FuncOp layerFunction(ModuleOp module, llvm::StringRef entry,
                             FunctionType type);

  float weightScale(const std::string &prefix);
  bool floatValues(const Tensor &t, std::vector<float> &out);
  /// A projection's weight: packed HF codes decoded; float weights
  /// ternarized as tern.ternarize does (absmean, per tensor); or a GGUF
  /// tensor's values and scales (see the top of the file). False after
  /// recording a problem.
  bool linearWeight(const std::string &prefix, int64_t out, int64_t in,
                    LinearWeight &weight);
  std::pair<ElementsAttr, ElementsAttr> int8Head(const Tensor &t);

  MLIRContext *context;
  const Checkpoint &ckpt;
  ImportOptions options;
  OpBuilder b;
  Location loc;
  Config cfg;
  int64_t capacity = 0;
  std::vector<std::string> problems;
  /// Weights (and scales) built for linearParams, shared by the entry
  /// points.
  llvm::StringMap<std::pair<ElementsAttr, ElementsAttr>> linearCache;
  /// The layout of each [n, k] ternary weight, chosen once per shape (the
  /// layer function every layer calls has one type per weight).
  std::map<std::pair<int64_t, int64_t>, ::tern::Layout> layouts;
  llvm::StringMap<ElementsAttr> constantCache;
  /// The kind of the values in each packed weight type.
  llvm::DenseMap<Type, ::tern::WeightKind> kinds;
  llvm::DenseMap<Type, func::FuncOp> layerFunctions;
  std::pair<ElementsAttr, ElementsAttr> int8HeadCache;
};

//===----------------------------------------------------------------------===//
// Config and tensor checks
//===----------------------------------------------------------------------===//

bool Importer::readConfig() {
  const json::Object &c = ckpt.config();
  std::optional<llvm::StringRef> ggufArch = c.getString("gguf.architecture");
  std::string where =
      ggufArch ? ckpt.directory() : ckpt.directory() + "/config.json";
  for (const Architecture &a : kGgufArchitectures)
    if (ggufArch && *ggufArch == a.name)
      cfg.arch = &a;
  if (ggufArch && !cfg.arch) {
    problem(where + ": unsupported architecture '" + *ggufArch + "'");
    return false;
  }
  const json::Array *archs = c.getArray("architectures");
  std::string arch =
      archs && !archs->empty() && (*archs)[0].getAsString()
          ? (*archs)[0].getAsString()->str()
          : "";
  const json::Object *quant = c.getObject("quantization_config");
  std::optional<llvm::StringRef> method =
      quant ? quant->getString("quant_method") : std::nullopt;
  if (cfg.arch)
    ; // a GGUF graph
  else if (arch == kBitNet2B4T.name)
    cfg.arch = &kBitNet2B4T;
  else if (arch == kBitnet1bitLLM.name)
    cfg.arch = &kBitnet1bitLLM;
  else if (arch == kLlamaBitnet.name && method && *method == "bitnet")
    cfg.arch = &kLlamaBitnet;
  if (!cfg.arch) {
    problem(where + ": unsupported architecture '" + arch +
            (arch == kLlamaBitnet.name ? "' without quantization_config."
                                         "quant_method \"bitnet\""
                                       : "'") +
            "; Tern imports BitNetForCausalLM (bitnet-b1.58-2B-4T), "
            "BitnetForCausalLM (1bitLLM) and LlamaForCausalLM with "
            "quant_method \"bitnet\"");
    return false;
  }
  auto integer = [&](llvm::StringRef key, int64_t fallback) -> int64_t {
    if (std::optional<int64_t> v = c.getInteger(key))
      return *v;
    if (fallback < 0)
      problem(where + ": missing integer '" + key + "'");
    return fallback;
  };
  auto number = [&](llvm::StringRef key, double fallback) {
    std::optional<double> v = c.getNumber(key);
    return float(v ? *v : fallback);
  };
  cfg.hidden = integer("hidden_size", -1);
  cfg.intermediate = integer("intermediate_size", -1);
  cfg.layers = integer("num_hidden_layers", -1);
  cfg.heads = integer("num_attention_heads", -1);
  cfg.kvHeads = integer("num_key_value_heads", cfg.heads);
  cfg.vocab = integer("vocab_size", -1);
  cfg.maxPositions = integer("max_position_embeddings", 2048);
  cfg.rmsEps = number("rms_norm_eps", 1e-5);
  cfg.ropeTheta = number("rope_theta", 10000.0);
  cfg.tied = c.getBoolean("tie_word_embeddings")
                 .value_or(cfg.arch != &kLlamaBitnet);
  // A token id, or a list of them (the first is taken; readGenerationConfig
  // records them all as stop tokens); -1 when absent.
  auto tokenId = [&](llvm::StringRef key) -> int64_t {
    const json::Value *v = c.get(key);
    if (const json::Array *list = v ? v->getAsArray() : nullptr)
      v = list->empty() ? nullptr : &(*list)[0];
    std::optional<int64_t> id = v ? v->getAsInteger() : std::nullopt;
    return id && *id >= 0 ? *id : -1;
  };
  cfg.bos = tokenId("bos_token_id");
  cfg.eos = tokenId("eos_token_id");
  if (!problems.empty())
    return false;
  if (cfg.hidden <= 0 || cfg.heads <= 0 || cfg.kvHeads <= 0 ||
      cfg.layers <= 0 || cfg.vocab <= 0 || cfg.intermediate <= 0) {
    problem(where + ": sizes must be positive");
    return false;
  }
  cfg.headDim = integer("head_dim", cfg.hidden / cfg.heads);
  // Qwen3 sizes heads apart from the hidden size; the others do not.
  bool headsSpanHidden = cfg.headDim * cfg.heads == cfg.hidden;
  if (cfg.heads % cfg.kvHeads != 0 || cfg.headDim <= 0 ||
      cfg.headDim % 2 != 0 || (!cfg.arch->qkNorm && !headsSpanHidden)) {
    problem(where + ": num_attention_heads (" + llvm::Twine(cfg.heads) +
            ") must be a multiple of num_key_value_heads (" +
            llvm::Twine(cfg.kvHeads) + ") and head_dim (" +
            llvm::Twine(cfg.headDim) + ") even and positive" +
            (cfg.arch->qkNorm ? "" : ", with heads * head_dim = hidden_size"));
    return false;
  }
  if (quant) {
    std::optional<llvm::StringRef> linearClass = quant->getString("linear_class");
    // transformers defaults linear_class to "bitlinear" (the scale divides).
    cfg.scaleDivides = !linearClass || *linearClass == "bitlinear";
  }
  capacity = options.maxContext > 0
                 ? options.maxContext
                 : std::min<int64_t>(cfg.maxPositions, 4096);
  return true;
}

const Tensor *Importer::expect(llvm::StringRef name,
                               llvm::ArrayRef<int64_t> shape,
                               llvm::ArrayRef<Dtype> dtypes) {
  const Tensor *t = ckpt.find(name);
  auto shapeText = [](llvm::ArrayRef<int64_t> s) {
    std::string text = "[";
    for (size_t i = 0; i < s.size(); ++i)
      text += (i ? ", " : "") + std::to_string(s[i]);
    return text + "]";
  };
  if (!t) {
    problem(ckpt.directory() + ": missing tensor '" + ckpt.sourceName(name) +
            "'");
    return nullptr;
  }
  if (!llvm::is_contained(dtypes, t->dtype)) {
    problem(t->file + ": tensor '" + ckpt.sourceName(name) + "' has dtype " +
            (t->dtype == Dtype::Blocks ? gguf::typeName(t->blockType)
                                       : toString(t->dtype).str()) +
            ", which this architecture does not use here");
    return nullptr;
  }
  // A 1-element scale may be stored as [] or [1].
  bool scalarOk = shape.size() == 1 && shape[0] == 1 && t->numElements() == 1;
  if (t->shape != std::vector<int64_t>(shape.begin(), shape.end()) &&
      !scalarOk) {
    problem(t->file + ": tensor '" + ckpt.sourceName(name) + "' has shape " +
            shapeText(t->shape) + ", expected " + shapeText(shape));
    return nullptr;
  }
  return t;
}

void Importer::checkTensors() {
  const Dtype floats[] = {Dtype::F32, Dtype::F16, Dtype::BF16};
  const Dtype packed[] = {Dtype::U8, Dtype::I8};
  // GGUF: any float type, and ggml blocks.
  const Dtype stored[] = {Dtype::F32, Dtype::F16, Dtype::BF16, Dtype::Blocks};
  const bool gguf = cfg.arch->weights == Weights::Gguf;
  int64_t h = cfg.hidden, f = cfg.intermediate, d = cfg.headDim;
  int64_t q = cfg.heads * d, kv = cfg.kvHeads * d;
  // A ggml block type must be one Tern decodes (Blocks.h).
  auto blocksKnown = [&](const Tensor *t) {
    if (t && t->dtype == Dtype::Blocks &&
        gguf::lowBitBlock(t->blockType) < 0 &&
        t->blockType != uint32_t(gguf::TensorType::Q8_0))
      problem(t->file + ": tensor '" + ckpt.sourceName(t->name) +
              "' has type " + gguf::typeName(t->blockType) +
              ", which Tern does not decode");
  };
  blocksKnown(expect("model.embed_tokens.weight", {cfg.vocab, h},
                     gguf ? ArrayRef<Dtype>(stored) : ArrayRef<Dtype>(floats)));
  expect("model.norm.weight", {h}, floats);
  if (!cfg.tied)
    blocksKnown(expect("lm_head.weight", {cfg.vocab, h},
                       gguf ? ArrayRef<Dtype>(stored)
                            : ArrayRef<Dtype>(floats)));
  struct Linear {
    const char *name;
    int64_t out, in;
  };
  const Linear linears[] = {{"self_attn.q_proj", q, h},
                            {"self_attn.k_proj", kv, h},
                            {"self_attn.v_proj", kv, h},
                            {"self_attn.o_proj", h, q},
                            {"mlp.gate_proj", f, h},
                            {"mlp.up_proj", f, h},
                            {"mlp.down_proj", h, f}};
  for (int64_t l = 0; l < cfg.layers; ++l) {
    std::string prefix = "model.layers." + std::to_string(l) + ".";
    expect(prefix + "input_layernorm.weight", {h}, floats);
    expect(prefix + "post_attention_layernorm.weight", {h}, floats);
    if (!cfg.arch->attnSubNorm.empty())
      expect(prefix + cfg.arch->attnSubNorm.str() + ".weight", {q}, floats);
    if (!cfg.arch->ffnSubNorm.empty())
      expect(prefix + cfg.arch->ffnSubNorm.str() + ".weight", {f}, floats);
    if (cfg.arch->qkNorm) {
      expect(prefix + "self_attn.q_norm.weight", {d}, floats);
      expect(prefix + "self_attn.k_norm.weight", {d}, floats);
    }
    for (const Linear &lin : linears) {
      std::string name = prefix + lin.name;
      switch (cfg.arch->weights) {
      case Weights::HfPacked:
        if (lin.out % 4 != 0) {
          problem(ckpt.directory() + ": '" + name + "' has " +
                  llvm::Twine(lin.out) +
                  " output features, not a multiple of 4 as packing needs");
          continue;
        }
        expect(name + ".weight", {lin.out / 4, lin.in}, packed);
        expect(name + ".weight_scale", {1}, floats);
        break;
      case Weights::Ternarize:
        expect(name + ".weight", {lin.out, lin.in}, floats);
        break;
      case Weights::Gguf:
        blocksKnown(expect(name + ".weight", {lin.out, lin.in}, stored));
        if (ckpt.find(name + ".output_scale"))
          expect(name + ".output_scale", {1}, floats);
        break;
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

static Type floatType(MLIRContext *ctx, Dtype dtype);

/// A float tensor as a constant: over the mapped bytes, or for ggml blocks
/// (Q8_0: low-bit tables and heads stay packed, see lowBitEmbed and
/// lowBitHead) dequantized to f32 once.
Value Importer::floatTable(const Tensor &t) {
  if (t.dtype != Dtype::Blocks)
    return constant(t, floatType(context, t.dtype), t.shape);
  auto type = RankedTensorType::get(t.shape, b.getF32Type());
  ElementsAttr &attr = constantCache[t.name + ".f32"];
  if (!attr) {
    std::vector<float> values;
    floatValues(t, values);
    values.resize(size_t(t.numElements()));
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocate(values.size() * 4, /*align=*/64);
    std::memcpy(blob.getMutableData().data(), values.data(), values.size() * 4);
    attr = DenseResourceElementsAttr::get(type, t.name + ".f32",
                                          std::move(blob));
  }
  return arith::ConstantOp::create(b, loc, type, cast<TypedAttr>(attr));
}

/// A resource blob over the memory-mapped tensor: no copy.
Value Importer::constant(const Tensor &t, Type elementType,
                         llvm::ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, elementType);
  ElementsAttr &attr = constantCache[t.name];
  if (!attr) {
    AsmResourceBlob blob = UnmanagedAsmResourceBlob::allocateWithAlign(
        t.data, /*align=*/1);
    attr = DenseResourceElementsAttr::get(type, t.name, std::move(blob));
  }
  return arith::ConstantOp::create(b, loc, type, cast<TypedAttr>(attr));
}

static Type floatType(MLIRContext *ctx, Dtype dtype) {
  switch (dtype) {
  case Dtype::F16:
    return Float16Type::get(ctx);
  case Dtype::BF16:
    return BFloat16Type::get(ctx);
  default:
    return Float32Type::get(ctx);
  }
}

/// One f32 from a 1-element float tensor.
static float scalarOf(const Tensor &t) {
  if (t.dtype == Dtype::F32) {
    float v;
    std::memcpy(&v, t.data.data(), 4);
    return v;
  }
  uint16_t bits;
  std::memcpy(&bits, t.data.data(), 2);
  const llvm::fltSemantics &sem = t.dtype == Dtype::BF16
                                      ? llvm::APFloat::BFloat()
                                      : llvm::APFloat::IEEEhalf();
  return llvm::APFloat(sem, llvm::APInt(16, bits)).convertToFloat();
}

/// Element `i` of a float tensor, as f32.
static float elementAsFloat(const Tensor &t, int64_t i) {
  if (t.dtype == Dtype::F32) {
    float v;
    std::memcpy(&v, t.data.data() + i * 4, 4);
    return v;
  }
  uint16_t bits;
  std::memcpy(&bits, t.data.data() + i * 2, 2);
  if (t.dtype == Dtype::BF16) {
    uint32_t wide = uint32_t(bits) << 16;
    float v;
    std::memcpy(&v, &wide, 4);
    return v;
  }
  return llvm::APFloat(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits))
      .convertToFloat();
}

float Importer::weightScale(const std::string &prefix) {
  float stored = scalarOf(*ckpt.find(prefix + ".weight_scale"));
  return cfg.scaleDivides ? 1.0f / stored : stored;
}

/// A float tensor's values as f32 (ggml blocks dequantized).
bool Importer::floatValues(const Tensor &t, std::vector<float> &out) {
  int64_t count = t.numElements();
  out.resize(size_t(count));
  if (t.dtype != Dtype::Blocks) {
    for (int64_t i = 0; i < count; ++i)
      out[size_t(i)] = elementAsFloat(t, i);
    return true;
  }
  if (!gguf::dequantize(t.blockType, t.data, count, out.data())) {
    problem(t.file + ": tensor '" + ckpt.sourceName(t.name) + "' (" +
            gguf::typeName(t.blockType) + ") cannot be decoded");
    return false;
  }
  return true;
}

bool Importer::linearWeight(const std::string &prefix, int64_t out, int64_t in,
                            LinearWeight &weight) {
  const Tensor &t = *ckpt.find(prefix + ".weight");
  weight = LinearWeight();
  weight.values.resize(size_t(out * in));
  auto perTensor = [&](float scale) {
    weight.scales.assign(size_t(out), scale);
    weight.groups = 1;
  };
  switch (cfg.arch->weights) {
  case Weights::HfPacked: {
    // Byte [r, c] holds rows r + i * out/4 at bits 2i, code = w + 1.
    perTensor(weightScale(prefix));
    const int64_t quarter = out / 4;
    const auto *src = reinterpret_cast<const uint8_t *>(t.data.data());
    for (int64_t n = 0; n < out; ++n) {
      const uint8_t *bytes = src + (n % quarter) * in;
      int shift = int(2 * (n / quarter));
      for (int64_t k = 0; k < in; ++k) {
        int code = (bytes[k] >> shift) & 3;
        if (code == 3) {
          problem(t.file + ": tensor '" + t.name + "' holds the unused code 3 " +
                  "for weight [" + llvm::Twine(n) + ", " + llvm::Twine(k) + "]");
          return false;
        }
        weight.values[size_t(n * in + k)] = int8_t(code - 1);
      }
    }
    return true;
  }
  case Weights::Ternarize: {
    std::vector<float> w;
    float scale = 0;
    floatValues(t, w);
    for (size_t i = 0; i < w.size(); ++i)
      if (!std::isfinite(w[i])) {
        problem(t.file + ": tensor '" + t.name + "' has the non-finite value " +
                (std::isnan(w[i]) ? "nan" : "inf") + " at [" +
                llvm::Twine(int64_t(i) / in) + ", " +
                llvm::Twine(int64_t(i) % in) +
                "]; a ternary weight needs a finite value");
        return false;
      }
    ::tern::ternarize(w.data(), out, in, ::tern::ScaleGroups{}, 1e-5f,
                      weight.values.data(), &scale);
    perTensor(scale);
    return true;
  }
  case Weights::Gguf:
    break;
  }
  // A GGUF tensor: low-bit blocks decode to values and block scales.
  int64_t block = t.dtype == Dtype::Blocks ? gguf::lowBitBlock(t.blockType) : -1;
  if (block >= 0) {
    int64_t blocks = block ? out * in / block : 1;
    std::vector<float> blockScales(static_cast<size_t>(blocks));
    if (!gguf::decodeLowBit(t.blockType, t.data, out * in,
                            weight.values.data(), blockScales.data())) {
      problem(t.file + ": tensor '" + ckpt.sourceName(t.name) + "' (" +
              gguf::typeName(t.blockType) + ") cannot be decoded");
      return false;
    }
    // TQ2_0 and I2_S have a fourth 2-bit code (value 2) that their
    // quantizers never write: not a ternary weight.
    for (int64_t i = 0; i < out * in; ++i)
      if (weight.values[size_t(i)] > 1) {
        problem(t.file + ": tensor '" + ckpt.sourceName(t.name) + "' (" +
                gguf::typeName(t.blockType) + ") holds the value " +
                llvm::Twine(int(weight.values[size_t(i)])) + " at [" +
                llvm::Twine(i / in) + ", " + llvm::Twine(i % in) +
                "], which is not a ternary weight");
        return false;
      }
    if (t.blockType == uint32_t(gguf::TensorType::Q1_0))
      weight.kind = ::tern::WeightKind::Binary;
    if (block) {
      weight.scales = std::move(blockScales);
      weight.groups = in / block;
    } else {
      perTensor(blockScales[0]);
    }
  } else {
    // Float: ternary when every value is 0 or +-g for one g.
    if (!floatValues(t, weight.floats))
      return false;
    float g = 0;
    bool ternary = true;
    for (float v : weight.floats) {
      float a = std::fabs(v);
      if (a == 0)
        continue;
      if (g == 0)
        g = a;
      if (a != g || !std::isfinite(a)) {
        ternary = false;
        break;
      }
    }
    if (!ternary || g == 0) {
      weight.isFloat = true;
      weight.values.clear();
      if (t.dtype == Dtype::F16 || t.dtype == Dtype::BF16)
        weight.halfSource = &t;
    } else {
      for (size_t i = 0; i < weight.floats.size(); ++i)
        weight.values[i] = int8_t(weight.floats[i] > 0 ? 1
                                  : weight.floats[i] < 0 ? -1
                                                         : 0);
      weight.floats.clear();
      perTensor(g);
    }
  }
  // llama.cpp's bitnet: a scale multiplying the output.
  if (const Tensor *s = ckpt.find(prefix + ".output_scale")) {
    weight.halfSource = nullptr;
    float factor = scalarOf(*s);
    for (float &v : weight.isFloat ? weight.floats : weight.scales)
      v *= factor;
  }
  return true;
}

/// f32 -> bf16 bits, rounding to nearest even (finite inputs).
static uint16_t toBF16(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  bits += 0x7fff + ((bits >> 16) & 1);
  return uint16_t(bits >> 16);
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

Value Importer::emptyLike(Value t, Type elementType) {
  return empty(tensor::getMixedSizes(b, loc, t), elementType);
}

Value Importer::toF32(Value t) {
  auto type = cast<RankedTensorType>(t.getType());
  if (type.getElementType().isF32())
    return t;
  auto f32Type = RankedTensorType::get(type.getShape(), b.getF32Type());
  Value e = tensor::EmptyOp::create(b, loc, f32Type.getShape(), b.getF32Type());
  auto identity = b.getMultiDimIdentityMap(type.getRank());
  return linalg::GenericOp::create(
             b, loc, f32Type, ValueRange{t}, ValueRange{e},
             ArrayRef<AffineMap>{identity, identity},
             SmallVector<utils::IteratorType>(type.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   nb, l, Value(arith::ExtFOp::create(nb, l, nb.getF32Type(),
                                                      args[0])));
             })
      .getResult(0);
}

Value Importer::rmsNorm(Value x, Value weight) {
  return RmsNormOp::create(b, loc, x.getType(), x, toF32(weight),
                           b.getF32FloatAttr(cfg.rmsEps));
}

void Importer::normParam(const std::string &name,
                         llvm::SmallVectorImpl<Value> &params) {
  const Tensor &w = *ckpt.find(name);
  params.push_back(constant(w, floatType(context, w.dtype), w.shape));
}

/// Brings the parts' scales to one count of groups a row (the finest; every
/// part's must divide it) and gives each all-zero group its row's first
/// other scale, so that uniform scales are seen as such. Returns the groups
/// a row, or 0 after recording a problem.
static int64_t commonScales(llvm::ArrayRef<LinearWeight> parts,
                            llvm::ArrayRef<int64_t> outFeatures, int64_t in,
                            std::vector<float> &scales) {
  int64_t groups = 1;
  for (const LinearWeight &part : parts)
    groups = std::max(groups, part.groups);
  for (const LinearWeight &part : parts)
    if (groups % part.groups != 0)
      return 0;
  const int64_t size = in / groups;
  for (auto [part, out] : llvm::zip(parts, outFeatures)) {
    const int64_t repeat = groups / part.groups;
    for (int64_t n = 0; n < out; ++n) {
      size_t first = scales.size();
      std::optional<float> any;
      for (int64_t g = 0; g < groups; ++g) {
        float scale = part.scales[size_t(n * part.groups + g / repeat)];
        const int8_t *v = part.values.data() + n * in + g * size;
        bool zero = std::all_of(v, v + std::min(size, in - g * size),
                                [](int8_t x) { return x == 0; });
        scales.push_back(zero ? NAN : scale);
        if (!zero && !any)
          any = scale;
      }
      for (size_t i = first; i < scales.size(); ++i)
        if (std::isnan(scales[i]))
          scales[i] = any.value_or(0.0f);
    }
  }
  return groups;
}

void Importer::linearParams(llvm::ArrayRef<std::string> prefixes,
                            llvm::ArrayRef<int64_t> outFeatures,
                            int64_t inFeatures,
                            llvm::SmallVectorImpl<Value> &params) {
  std::string key = llvm::join(prefixes, "+");
  auto &[weight, scales] = linearCache[key];
  if (!weight)
    buildLinear(key, prefixes, outFeatures, inFeatures, weight, scales);
  params.push_back(arith::ConstantOp::create(b, loc, weight.getType(),
                                             cast<TypedAttr>(weight)));
  if (scales)
    params.push_back(arith::ConstantOp::create(b, loc, scales.getType(),
                                               cast<TypedAttr>(scales)));
}

std::string Importer::sourceNames(llvm::ArrayRef<std::string> prefixes) {
  std::vector<std::string> names;
  for (const std::string &prefix : prefixes)
    names.push_back("'" + ckpt.sourceName(prefix + ".weight") + "'");
  return llvm::join(names, ", ");
}

void Importer::buildLinear(const std::string &key,
                           llvm::ArrayRef<std::string> prefixes,
                           llvm::ArrayRef<int64_t> outFeatures,
                           int64_t inFeatures, ElementsAttr &weight,
                           ElementsAttr &scales) {
  int64_t rows = 0;
  for (int64_t out : outFeatures)
    rows += out;
  std::vector<LinearWeight> parts(prefixes.size());
  bool ok = true;
  for (auto [part, prefix, out] : llvm::zip(parts, prefixes, outFeatures))
    ok = ok && linearWeight(prefix, out, inFeatures, part);
  for (const LinearWeight &part : parts)
    if (ok && (part.isFloat != parts[0].isFloat || part.kind != parts[0].kind)) {
      problem(ckpt.directory() + ": " + sourceNames(prefixes) +
              " read one input but mix float, ternary and binary weights; "
              "Tern needs them of one kind");
      ok = false;
    }
  if (!ok) { // a problem was recorded; keep the IR well formed
    weight = DenseElementsAttr::get(
        RankedTensorType::get({rows, inFeatures}, b.getF32Type()), 0.0f);
    return;
  }
  const bool dense = options.dense != ImportOptions::Dense::None;
  const bool bf16 = options.dense == ImportOptions::Dense::BF16;
  // Float weights all stored in one 16-bit type stay in it (the matmul
  // widens them as it reads, as it does a checkpoint's head).
  const Tensor *first = parts[0].halfSource;
  bool keepHalf = !dense && first;
  for (const LinearWeight &part : parts)
    keepHalf = keepHalf && part.halfSource &&
               part.halfSource->dtype == first->dtype;
  if (keepHalf) {
    AsmResourceBlob blob = HeapAsmResourceBlob::allocate(
        size_t(rows * inFeatures * 2), /*align=*/64);
    char *dst = blob.getMutableData().data();
    for (const LinearWeight &part : parts) {
      std::memcpy(dst, part.halfSource->data.data(),
                  part.halfSource->data.size());
      dst += part.halfSource->data.size();
    }
    weight = DenseResourceElementsAttr::get(
        RankedTensorType::get({rows, inFeatures},
                              floatType(context, first->dtype)),
        key + ".dense", std::move(blob));
    return;
  }
  if (dense || parts[0].isFloat) {
    // Float: the weights themselves, or the low-bit ones dequantized (the
    // dense baseline).
    const int64_t bytes = bf16 ? 2 : 4;
    AsmResourceBlob blob = HeapAsmResourceBlob::allocate(
        size_t(rows * inFeatures * bytes), /*align=*/64);
    char *dst = blob.getMutableData().data();
    for (const LinearWeight &part : parts) {
      int64_t out = int64_t(part.isFloat ? part.floats.size()
                                         : part.values.size()) /
                    inFeatures;
      const int64_t size = inFeatures / part.groups;
      for (int64_t n = 0; n < out; ++n)
        for (int64_t k = 0; k < inFeatures; ++k, dst += bytes) {
          size_t i = size_t(n * inFeatures + k);
          float v = part.isFloat
                        ? part.floats[i]
                        : float(part.values[i]) *
                              part.scales[size_t(n * part.groups + k / size)];
          if (bf16) {
            uint16_t h = toBF16(v);
            std::memcpy(dst, &h, 2);
          } else {
            std::memcpy(dst, &v, 4);
          }
        }
    }
    weight = DenseResourceElementsAttr::get(
        RankedTensorType::get({rows, inFeatures},
                              bf16 ? Type(b.getBF16Type())
                                   : Type(b.getF32Type())),
        key + ".dense", std::move(blob));
    return;
  }
  std::vector<float> all;
  int64_t groups = commonScales(parts, outFeatures, inFeatures, all);
  if (!groups) {
    problem(ckpt.directory() + ": " + sourceNames(prefixes) +
            " have scale blocks of sizes that do not nest");
    weight = DenseElementsAttr::get(
        RankedTensorType::get({rows, inFeatures}, b.getF32Type()), 0.0f);
    return;
  }
  // The stacked values, packed as one matrix (the layout may interleave rows
  // across the projections' boundaries).
  const ::tern::WeightKind kind = parts[0].kind;
  const ::tern::Layout layout = layoutFor(rows, inFeatures, kind);
  const int64_t rowBytes = layout.packedRowBytes(inFeatures);
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocate(size_t(rows * rowBytes), /*align=*/64);
  std::vector<int8_t> stacked;
  stacked.reserve(size_t(rows * inFeatures));
  for (const LinearWeight &part : parts)
    stacked.insert(stacked.end(), part.values.begin(), part.values.end());
  int64_t bad = ::tern::packMatrix(
      layout, stacked.data(), rows, inFeatures,
      reinterpret_cast<uint8_t *>(blob.getMutableData().data()));
  if (bad >= 0)
    problem(ckpt.directory() + ": " + sourceNames(prefixes) + ": weight " +
            llvm::Twine(int(stacked[size_t(bad)])) + " at row " +
            llvm::Twine(bad / inFeatures) + " of the stack cannot be stored in " +
            layout.spec());
  auto type = RankedTensorType::get({rows, rowBytes}, b.getI8Type());
  weight = DenseResourceElementsAttr::get(type, key + ".packed",
                                          std::move(blob));
  auto [it, inserted] = kinds.try_emplace(type, kind);
  if (!inserted && it->second != kind)
    problem(ckpt.directory() + ": " + sourceNames(prefixes) + " are " +
            (kind == ::tern::WeightKind::Binary ? "binary" : "ternary") +
            " where other layers store the same shape the other way");
  // One scale for the whole of one projection, one per row, or one per
  // row and block.
  bool perRow = true;
  for (int64_t n = 0; n < rows && perRow; ++n)
    for (int64_t g = 1; g < groups && perRow; ++g)
      perRow = all[size_t(n * groups + g)] == all[size_t(n * groups)];
  std::vector<float> rowScales;
  if (perRow)
    for (int64_t n = 0; n < rows; ++n)
      rowScales.push_back(all[size_t(n * groups)]);
  bool perTensor = perRow && prefixes.size() == 1;
  for (float v : rowScales)
    perTensor = perTensor && v == rowScales[0];
  if (perTensor)
    scales = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                    b.getF32FloatAttr(rowScales[0]));
  else if (perRow)
    scales = DenseElementsAttr::get(
        RankedTensorType::get({rows}, b.getF32Type()),
        llvm::ArrayRef<float>(rowScales));
  else
    scales = DenseElementsAttr::get(
        RankedTensorType::get({rows, groups}, b.getF32Type()),
        llvm::ArrayRef<float>(all));
}

void Importer::layerParams(int64_t layer, llvm::SmallVectorImpl<Value> &params) {
  std::string prefix = "model.layers." + std::to_string(layer) + ".";
  int64_t q = cfg.heads * cfg.headDim, kv = cfg.kvHeads * cfg.headDim;
  normParam(prefix + "input_layernorm.weight", params);
  // q/k/v and gate/up read the same activations: one matmul each, one
  // quantization of the input and one pass over the stacked weights.
  linearParams({prefix + "self_attn.q_proj", prefix + "self_attn.k_proj",
                prefix + "self_attn.v_proj"},
               {q, kv, kv}, cfg.hidden, params);
  if (cfg.arch->qkNorm) {
    normParam(prefix + "self_attn.q_norm.weight", params);
    normParam(prefix + "self_attn.k_norm.weight", params);
  }
  if (!cfg.arch->attnSubNorm.empty())
    normParam(prefix + cfg.arch->attnSubNorm.str() + ".weight", params);
  linearParams({prefix + "self_attn.o_proj"}, {cfg.hidden}, q, params);
  normParam(prefix + "post_attention_layernorm.weight", params);
  linearParams({prefix + "mlp.gate_proj", prefix + "mlp.up_proj"},
               {cfg.intermediate, cfg.intermediate}, cfg.hidden, params);
  if (!cfg.arch->ffnSubNorm.empty())
    normParam(prefix + cfg.arch->ffnSubNorm.str() + ".weight", params);
  linearParams({prefix + "mlp.down_proj"}, {cfg.hidden}, cfg.intermediate,
               params);
}

::tern::Layout Importer::layoutFor(int64_t n, int64_t k,
                                  ::tern::WeightKind kind) {
  if (kind == ::tern::WeightKind::Binary)
    return options.binaryLayout;
  auto [it, inserted] = layouts.try_emplace({n, k}, options.layout);
  if (inserted && options.chooseLayout &&
      options.dense == ImportOptions::Dense::None) {
    std::string error;
    if (std::optional<::tern::Layout> chosen = options.chooseLayout(n, k, error))
      it->second = *chosen;
    else
      problem("choosing the layout of the " + llvm::Twine(n) + " x " +
              llvm::Twine(k) + " weights: " + error);
  }
  return it->second;
}

Value Importer::linear(Value x, ParamCursor &params, int64_t outFeatures) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto outType = RankedTensorType::get({xType.getDimSize(0), outFeatures},
                                       b.getF32Type());
  Value weight = params.take();
  auto weightType = cast<RankedTensorType>(weight.getType());
  if (isa<FloatType>(weightType.getElementType()))
    return LinearOp::create(b, loc, outType, x, weight);
  Value scale = params.take();
  auto scaleType = cast<RankedTensorType>(scale.getType());
  const int64_t k = xType.getDimSize(1);
  ::tern::WeightKind kind = kinds.lookup(weightType);
  ScaleAttr granularity =
      scaleType.getRank() == 0
          ? ScaleAttr::get(context, ScaleGranularity::PerTensor)
      : scaleType.getRank() == 1
          ? ScaleAttr::get(context, ScaleGranularity::PerRow)
          : ScaleAttr::get(context, ScaleGranularity::Group,
                           k / scaleType.getDimSize(1));
  return BitLinearOp::create(
      b, loc, outType, x, weight, scale, /*bias=*/Value(),
      KindAttr::get(context, kind),
      LayoutAttr::get(context, layoutFor(outFeatures, k, kind)), granularity,
      b.getF32FloatAttr(1e-5f));
}

Value Importer::columns(Value t, int64_t offset, int64_t size) {
  auto type = cast<RankedTensorType>(t.getType());
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0),
                                       b.getIndexAttr(offset)};
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, t, 0),
                                     b.getIndexAttr(size)};
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(
      b, loc,
      RankedTensorType::get({type.getDimSize(0), size}, type.getElementType()),
      t, offsets, sizes, strides);
}

/// The integer `id` as an index clamped to [0, size).
static Value clampedIndex(OpBuilder &b, Location loc, Value id, int64_t size) {
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), id);
  index = arith::MaxSIOp::create(b, loc, index,
                                 arith::ConstantIndexOp::create(b, loc, 0));
  return arith::MinSIOp::create(b, loc, index,
                                arith::ConstantIndexOp::create(b, loc, size - 1));
}

/// h[t, :] = f32(embed_tokens[clamp(tokens[t]), :]). Token ids outside the
/// vocabulary are clamped so the gather never reads out of bounds.
Value Importer::embed(Value tokens) {
  const Tensor &t = *ckpt.find("model.embed_tokens.weight");
  if (t.dtype == Dtype::Blocks && gguf::lowBitBlock(t.blockType) >= 0)
    return lowBitEmbed(tokens, t);
  Value table = floatTable(t);
  return gatherRows(tokens, [&](OpBuilder &nb, Location l, Value id,
                                Value column) {
    Value v = tensor::ExtractOp::create(nb, l, table, ValueRange{id, column});
    if (!v.getType().isF32())
      v = arith::ExtFOp::create(nb, l, nb.getF32Type(), v);
    return v;
  });
}

/// out[t, c] = element(id, c) with id = tokens[t] clamped into the
/// vocabulary (the gather never reads out of bounds).
Value Importer::gatherRows(
    Value tokens,
    function_ref<Value(OpBuilder &, Location, Value, Value)> element) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, tokens);
  sizes.push_back(b.getIndexAttr(cfg.hidden));
  Value out = empty(sizes, b.getF32Type());
  MLIRContext *ctx = context;
  int64_t vocab = cfg.vocab;
  return linalg::GenericOp::create(
             b, loc, out.getType(), ValueRange{tokens}, ValueRange{out},
             ArrayRef<AffineMap>{AffineMap::get(2, 0, getAffineDimExpr(0, ctx)),
                                 AffineMap::getMultiDimIdentityMap(2, ctx)},
             ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value id = clampedIndex(nb, l, args[0], vocab);
               Value column = linalg::IndexOp::create(nb, l, 1);
               linalg::YieldOp::create(nb, l, element(nb, l, id, column));
             })
      .getResult(0);
}

/// The embedding lookup from a low-bit table kept packed (a GGUF file's
/// TQ*/I2_S/Q1_0 token_embd): rows of 2-bit codes (w + 1) or sign bits, four
/// or eight a byte from the lowest bits, and the file's scales, one per row
/// and block (or one for the table). h[t, c] = value * scale, as the
/// dequantized table would give, at 1/16 or 1/32 of an f32 table's bytes.
Value Importer::lowBitEmbed(Value tokens, const Tensor &t) {
  const int64_t vocab = cfg.vocab, hidden = cfg.hidden;
  const bool binary = t.blockType == uint32_t(gguf::TensorType::Q1_0);
  const int64_t perByte = binary ? 8 : 4, bits = binary ? 1 : 2;
  const int64_t block = gguf::lowBitBlock(t.blockType);
  const int64_t groups = block ? hidden / block : 1;
  const int64_t scaleRows = block ? vocab : 1;
  const int64_t rowBytes = (hidden + perByte - 1) / perByte;
  ElementsAttr &packed = constantCache[t.name + ".packed"];
  ElementsAttr &scales = constantCache[t.name + ".scales"];
  if (!packed) {
    std::vector<int8_t> values(size_t(vocab * hidden));
    std::vector<float> blockScales(size_t(scaleRows * groups));
    if (!gguf::decodeLowBit(t.blockType, t.data, vocab * hidden, values.data(),
                            blockScales.data()))
      problem(t.file + ": tensor '" + ckpt.sourceName(t.name) + "' (" +
              gguf::typeName(t.blockType) + ") cannot be decoded");
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocate(size_t(vocab * rowBytes), /*align=*/64);
    auto *dst = reinterpret_cast<uint8_t *>(blob.getMutableData().data());
    std::memset(dst, 0, size_t(vocab * rowBytes));
    for (int64_t r = 0; r < vocab; ++r)
      for (int64_t c = 0; c < hidden; ++c) {
        int v = values[size_t(r * hidden + c)];
        int field = binary ? (v > 0) : v + 1;
        dst[r * rowBytes + c / perByte] |=
            uint8_t(field << (bits * (c % perByte)));
      }
    packed = DenseResourceElementsAttr::get(
        RankedTensorType::get({vocab, rowBytes}, b.getI8Type()),
        t.name + ".packed", std::move(blob));
    scales = DenseElementsAttr::get(
        RankedTensorType::get({scaleRows, groups}, b.getF32Type()),
        llvm::ArrayRef<float>(blockScales));
  }
  Value table = arith::ConstantOp::create(b, loc, packed.getType(),
                                          cast<TypedAttr>(packed));
  Value scaleTable = arith::ConstantOp::create(b, loc, scales.getType(),
                                               cast<TypedAttr>(scales));
  return gatherRows(tokens, [&](OpBuilder &nb, Location l, Value id,
                                Value column) -> Value {
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(nb, l, v);
    };
    auto i32 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(nb, l, nb.getI32Type(), v);
    };
    Value byte = tensor::ExtractOp::create(
        nb, l, table,
        ValueRange{id, arith::DivUIOp::create(nb, l, column,
                                              index(perByte))});
    Value shift = arith::IndexCastOp::create(
        nb, l, nb.getI32Type(),
        arith::MulIOp::create(
            nb, l,
            arith::RemUIOp::create(nb, l, column, index(perByte)),
            index(bits)));
    Value field = arith::AndIOp::create(
        nb, l,
        arith::ShRUIOp::create(
            nb, l, arith::ExtUIOp::create(nb, l, nb.getI32Type(), byte),
            shift),
        i32((1 << bits) - 1));
    // Binary: 2 * bit - 1; ternary: code - 1.
    Value value = arith::SubIOp::create(
        nb, l,
        binary ? Value(arith::AddIOp::create(nb, l, field, field))
               : field,
        i32(1));
    Value scaleRow = scaleRows == 1 ? index(0) : id;
    Value scale = tensor::ExtractOp::create(
        nb, l, scaleTable,
        ValueRange{scaleRow,
                   block ? Value(arith::DivUIOp::create(
                               nb, l, column, index(block)))
                         : index(0)});
    return arith::MulFOp::create(
        nb, l, arith::SIToFPOp::create(nb, l, nb.getF32Type(), value),
        scale);
  });
}

/// positions[t] = position + t.
Value Importer::positions(Value tokens, Value position) {
  Value p0 = tensor::ExtractOp::create(b, loc, position, ValueRange{});
  Value out = emptyLike(tokens, b.getI64Type());
  return linalg::GenericOp::create(
             b, loc, out.getType(), ValueRange{}, ValueRange{out},
             ArrayRef<AffineMap>{b.getMultiDimIdentityMap(1)},
             ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location l, ValueRange) {
               Value t = arith::IndexCastOp::create(
                   nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, 0));
               linalg::YieldOp::create(nb, l,
                                       Value(arith::AddIOp::create(nb, l, p0, t)));
             })
      .getResult(0);
}

Value Importer::add(Value x, Value y) {
  Value out = emptyLike(x, b.getF32Type());
  return linalg::AddOp::create(b, loc, ValueRange{x, y}, ValueRange{out})
      .getResult(0);
}

/// relu(gate)^2 * up (2B4T) or silu(gate) * up (SwiGLU), in f32.
Value Importer::gatedActivation(Value gate, Value up) {
  Value out = emptyLike(gate, b.getF32Type());
  bool squaredRelu = cfg.arch->squaredRelu;
  return linalg::GenericOp::create(
             b, loc, out.getType(), ValueRange{gate, up}, ValueRange{out},
             SmallVector<AffineMap>(3, b.getMultiDimIdentityMap(2)),
             SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value g = args[0], a;
               if (squaredRelu) {
                 Value zero = arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(0));
                 Value r = arith::MaximumFOp::create(nb, l, g, zero);
                 a = arith::MulFOp::create(nb, l, r, r);
               } else {
                 // silu(g) = g / (1 + exp(-g))
                 Value one = arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(1));
                 Value e = math::ExpOp::create(nb, l, arith::NegFOp::create(nb, l, g));
                 a = arith::DivFOp::create(nb, l, g, arith::AddFOp::create(nb, l, one, e));
               }
               linalg::YieldOp::create(nb, l,
                                       Value(arith::MulFOp::create(nb, l, a, args[1])));
             })
      .getResult(0);
}

/// logits[t, v] = sum_k h[t, k] * head[v, k], in f32, the head kept in the
/// checkpoint's precision.
/// The head as int8 rows with f32 scales: scale[n] = max_k |w[n, k]| / 127
/// (1 for an all-zero row), q = round_half_even(w / scale). Built once, both
/// entry points share it.
std::pair<ElementsAttr, ElementsAttr> Importer::int8Head(const Tensor &t) {
  if (int8HeadCache.first)
    return int8HeadCache;
  int64_t rows = t.shape[0], cols = t.shape[1];
  AsmResourceBlob values =
      HeapAsmResourceBlob::allocate(size_t(rows * cols), /*align=*/64);
  AsmResourceBlob scaleBlob =
      HeapAsmResourceBlob::allocate(size_t(rows) * 4, /*align=*/64);
  auto *q = reinterpret_cast<int8_t *>(values.getMutableData().data());
  auto *scales = reinterpret_cast<float *>(scaleBlob.getMutableData().data());
  std::vector<float> row(static_cast<size_t>(cols)), all;
  if (t.dtype == Dtype::Blocks)
    floatValues(t, all);
  all.resize(t.dtype == Dtype::Blocks ? size_t(rows * cols) : 0);
  for (int64_t n = 0; n < rows; ++n) {
    for (int64_t k = 0; k < cols; ++k)
      row[size_t(k)] = t.dtype == Dtype::Blocks ? all[size_t(n * cols + k)]
                                                : elementAsFloat(t, n * cols + k);
    ::tern::quantizeHeadRows(row.data(), 1, cols, q + n * cols, scales + n);
  }
  int8HeadCache = {
      DenseResourceElementsAttr::get(
          RankedTensorType::get({rows, cols}, b.getI8Type()), t.name + ".int8",
          std::move(values)),
      DenseResourceElementsAttr::get(
          RankedTensorType::get({rows}, b.getF32Type()), t.name + ".scale",
          std::move(scaleBlob))};
  return int8HeadCache;
}

bool Importer::lowBitHead(const Tensor &t) {
  if (cfg.arch->weights != Weights::Gguf)
    return false;
  if (t.dtype == Dtype::Blocks)
    return gguf::lowBitBlock(t.blockType) >= 0;
  float g = 0;
  for (int64_t i = 0, e = t.numElements(); i < e; ++i) {
    float a = std::fabs(elementAsFloat(t, i));
    if (a == 0)
      continue;
    if (g == 0)
      g = a;
    if (a != g)
      return false;
  }
  return g != 0;
}

Value Importer::logits(Value h) {
  const std::string prefix = cfg.tied ? "model.embed_tokens" : "lm_head";
  const Tensor &t = *ckpt.find(prefix + ".weight");
  auto hType = cast<RankedTensorType>(h.getType());
  auto type = RankedTensorType::get({hType.getDimSize(0), cfg.vocab},
                                    b.getF32Type());
  if (lowBitHead(t)) {
    SmallVector<Value> params;
    linearParams({prefix}, {cfg.vocab}, cfg.hidden, params);
    ParamCursor cursor{params};
    return linear(h, cursor, cfg.vocab);
  }
  if (options.headInt8) {
    auto [weights, scales] = int8Head(t);
    return LinearOp::create(
        b, loc, type, h,
        arith::ConstantOp::create(b, loc, weights.getType(),
                                  cast<TypedAttr>(weights)),
        arith::ConstantOp::create(b, loc, scales.getType(),
                                  cast<TypedAttr>(scales)));
  }
  return LinearOp::create(b, loc, type, h, floatTable(t));
}

Value Importer::attentionBlock(Value h, ParamCursor &params,
                               Value positionList, Value position, Value layer,
                               Value &keyCache, Value &valueCache) {
  int64_t d = cfg.headDim;
  Value x = rmsNorm(h, params.take());
  int64_t qSize = cfg.heads * d, kvSize = cfg.kvHeads * d;
  Value qkv = linear(x, params, qSize + 2 * kvSize);
  Value q = columns(qkv, 0, qSize);
  Value k = columns(qkv, qSize, kvSize);
  Value v = columns(qkv, qSize + kvSize, kvSize);
  auto split = [&](Value t, int64_t heads) {
    auto type = cast<RankedTensorType>(t.getType());
    auto result = RankedTensorType::get({type.getDimSize(0), heads, d},
                                        b.getF32Type());
    SmallVector<OpFoldResult> shape = {tensor::getMixedSize(b, loc, t, 0),
                                       b.getIndexAttr(heads), b.getIndexAttr(d)};
    return tensor::ExpandShapeOp::create(
               b, loc, result, t,
               ArrayRef<ReassociationIndices>{{0}, {1, 2}}, shape)
        .getResult();
  };
  auto rope = [&](Value t) {
    return RopeOp::create(b, loc, t.getType(), t, positionList,
                          b.getF32FloatAttr(cfg.ropeTheta),
                          RopeStyleAttr::get(context, cfg.arch->rope))
        .getResult();
  };
  Value qh = split(q, cfg.heads), kh = split(k, cfg.kvHeads);
  if (cfg.arch->qkNorm) {
    qh = rmsNorm(qh, params.take());
    kh = rmsNorm(kh, params.take());
  }
  qh = rope(qh);
  kh = rope(kh);
  Value vh = split(v, cfg.kvHeads);

  // This layer's slice of the caches: [KVH, S, D].
  auto sliceType = RankedTensorType::get({cfg.kvHeads, capacity, d},
                                         b.getF32Type());
  SmallVector<OpFoldResult> offsets = {layer, b.getIndexAttr(0),
                                       b.getIndexAttr(0), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(cfg.kvHeads),
                                     b.getIndexAttr(capacity), b.getIndexAttr(d)};
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  auto extract = [&](Value cache) {
    return tensor::ExtractSliceOp::create(b, loc, sliceType, cache, offsets,
                                          sizes, strides)
        .getResult();
  };
  auto attention = AttentionOp::create(
      b, loc, qh.getType(), sliceType, sliceType, qh, kh, vh,
      extract(keyCache), extract(valueCache), position, FloatAttr());
  keyCache = tensor::InsertSliceOp::create(b, loc, attention.getNewKeyCache(),
                                           keyCache, offsets, sizes, strides);
  valueCache = tensor::InsertSliceOp::create(
      b, loc, attention.getNewValueCache(), valueCache, offsets, sizes, strides);
  Value o = tensor::CollapseShapeOp::create(
      b, loc, attention.getOutput(),
      ArrayRef<ReassociationIndices>{{0}, {1, 2}});
  if (!cfg.arch->attnSubNorm.empty())
    o = rmsNorm(o, params.take());
  o = linear(o, params, cfg.hidden);
  return add(h, o);
}

/// layer(h, positions, position, key_cache, value_cache, layer index,
///       weights...) -> (h, key_cache, value_cache)
///
/// Every layer of an entry point calls this one function with its own
/// weights: LLVM compiles a layer once, not once per layer (30x less code
/// for a 30-layer model, and compile time linear in what is distinct).
func::FuncOp Importer::layerFunction(ModuleOp module, llvm::StringRef entry,
                                     FunctionType type) {
  func::FuncOp &fn = layerFunctions[type];
  if (fn)
    return fn;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(module.getBody());
  std::string name = (entry + "_layer").str();
  for (int n = 1; module.lookupSymbol(name); ++n)
    name = (entry + "_layer" + llvm::Twine(n)).str();
  fn = func::FuncOp::create(b, loc, name, type);
  fn.setPrivate();
  // Inlined 30 times, the layer would be compiled 30 times.
  fn->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
  Block *body = fn.addEntryBlock();
  b.setInsertionPointToStart(body);
  Value h = body->getArgument(0), positionList = body->getArgument(1);
  Value position = body->getArgument(2), layer = body->getArgument(5);
  Value keyCache = body->getArgument(3), valueCache = body->getArgument(4);
  ParamCursor params{body->getArguments().drop_front(6)};

  h = attentionBlock(h, params, positionList, position, layer, keyCache,
                     valueCache);
  Value x = rmsNorm(h, params.take());
  Value gateUp = linear(x, params, 2 * cfg.intermediate);
  Value gate = columns(gateUp, 0, cfg.intermediate);
  Value up = columns(gateUp, cfg.intermediate, cfg.intermediate);
  Value a = gatedActivation(gate, up);
  if (!cfg.arch->ffnSubNorm.empty())
    a = rmsNorm(a, params.take());
  h = add(h, linear(a, params, cfg.hidden));
  func::ReturnOp::create(b, loc, ValueRange{h, keyCache, valueCache});
  return fn;
}

void Importer::buildForward(ModuleOp module, llvm::StringRef name,
                            std::optional<int64_t> tokens, bool lastOnly) {
  int64_t t = tokens ? *tokens : ShapedType::kDynamic;
  auto tokenType = RankedTensorType::get({t}, b.getI32Type());
  auto positionType = RankedTensorType::get({}, b.getI64Type());
  auto cacheType = RankedTensorType::get(
      {cfg.layers, cfg.kvHeads, capacity, cfg.headDim}, b.getF32Type());
  auto logitsType =
      RankedTensorType::get({lastOnly ? 1 : t, cfg.vocab}, b.getF32Type());
  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(
      b, loc, name,
      b.getFunctionType({tokenType, positionType, cacheType, cacheType},
                        {logitsType}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value tokenIds = entry->getArgument(0), position = entry->getArgument(1);
  Value keyCache = entry->getArgument(2), valueCache = entry->getArgument(3);

  Value h = embed(tokenIds);
  Value positionList = positions(tokenIds, position);
  for (int64_t l = 0; l < cfg.layers; ++l) {
    SmallVector<Value> operands = {
        h, positionList, position, keyCache, valueCache,
        arith::ConstantIndexOp::create(b, loc, l)};
    layerParams(l, operands);
    FunctionType type = b.getFunctionType(
        TypeRange(operands), {h.getType(), cacheType, cacheType});
    auto call = func::CallOp::create(b, loc, layerFunction(module, name, type),
                                     operands);
    h = call.getResult(0);
    keyCache = call.getResult(1);
    valueCache = call.getResult(2);
  }
  if (lastOnly) {
    // Generation needs the next token's logits only: the final norm and the
    // lm_head (a vocab x hidden matrix) run on the last row alone.
    Value rows = tensor::DimOp::create(b, loc, h, 0);
    Value last = arith::SubIOp::create(
        b, loc, rows, arith::ConstantIndexOp::create(b, loc, 1));
    SmallVector<OpFoldResult> offsets = {last, b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1),
                                       b.getIndexAttr(cfg.hidden)};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    h = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({1, cfg.hidden}, b.getF32Type()), h,
        offsets, sizes, strides);
  }
  const Tensor &norm = *ckpt.find("model.norm.weight");
  h = rmsNorm(h, constant(norm, floatType(context, norm.dtype), norm.shape));
  Value out = logits(h);
  // The caches are the caller's state: write the updates back in place.
  bufferization::MaterializeInDestinationOp::create(b, loc, keyCache,
                                                    entry->getArgument(2));
  bufferization::MaterializeInDestinationOp::create(b, loc, valueCache,
                                                    entry->getArgument(3));
  func::ReturnOp::create(b, loc, out);
}
OwningOpRef<ModuleOp> Importer::run(ModelInfo &info, std::string &error) {
  auto report = [&]() {
    error.clear();
    for (const std::string &p : problems)
      error += (error.empty() ? "" : "\n") + p;
    return nullptr;
  };
  if (!readConfig())
    return report();
  checkTensors();
  if (!problems.empty())
    return report();

  context->loadDialect<TernDialect, arith::ArithDialect, func::FuncDialect,
                       linalg::LinalgDialect, tensor::TensorDialect,
                       math::MathDialect,
                       bufferization::BufferizationDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  buildForward(*module, "prefill", std::nullopt);
  buildForward(*module, "prefill_last", std::nullopt, /*lastOnly=*/true);
  buildForward(*module, "decode", 1);
  if (!problems.empty())
    return report();

  info.architecture = cfg.arch->name.str();
  {
    int64_t q = cfg.heads * cfg.headDim, kv = cfg.kvHeads * cfg.headDim;
    info.layerMacs = cfg.layers * (cfg.hidden * (q + 2 * kv) + q * cfg.hidden +
                                   3 * cfg.hidden * cfg.intermediate);
  }
  info.layers = cfg.layers;
  info.kvHeads = cfg.kvHeads;
  info.headDim = cfg.headDim;
  info.context = capacity;
  info.vocab = cfg.vocab;
  info.bos = cfg.bos;
  info.eos = cfg.eos;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> mlir::tern::hf::importCheckpoint(
    MLIRContext *context, const Checkpoint &checkpoint,
    const ImportOptions &options, ModelInfo &info, std::string &error) {
  return Importer(context, checkpoint, options).run(info, error);
}
