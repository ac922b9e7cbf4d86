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
//===----------------------------------------------------------------------===//
#include "tern/Import/HF/Import.h"
#include "tern/Dialect/Tern/IR/TernOps.h"
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

/// How one architecture names and wires its pieces.
struct Architecture {
  llvm::StringRef name;
  bool packedWeights;      ///< uint8 [out/4, in] + weight_scale, or float
  bool squaredRelu;        ///< relu(gate)^2 * up, or silu(gate) * up
  llvm::StringRef attnSubNorm, ffnSubNorm; ///< empty: none
};

constexpr Architecture kBitNet2B4T = {"BitNetForCausalLM", true, true,
                                      "self_attn.attn_sub_norm",
                                      "mlp.ffn_sub_norm"};
constexpr Architecture kBitnet1bitLLM = {"BitnetForCausalLM", false, false,
                                         "self_attn.inner_attn_ln",
                                         "mlp.ffn_layernorm"};
constexpr Architecture kLlamaBitnet = {"LlamaForCausalLM", true, false, "", ""};

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
  /// The layout of an [n, k] ternary weight matrix.
  ::tern::Layout layoutFor(int64_t n, int64_t k);
  /// Columns [offset, offset + size) of the 2-D `t` (a view, not a copy).
  Value columns(Value t, int64_t offset, int64_t size);
  Value embed(Value tokens);
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
  /// The private function computing one decoder layer with operands of
  /// `type`, built on first use.
  func::FuncOp layerFunction(ModuleOp module, llvm::StringRef entry,
                             FunctionType type);

  float weightScale(const std::string &prefix);
  /// A projection's weight as ternary values [out, in] and its scale: packed
  /// HF codes decoded, or float weights ternarized as tern.ternarize does
  /// (absmean, per tensor). False after recording a problem.
  bool ternaryWeight(const std::string &prefix, int64_t out, int64_t in,
                     std::vector<int8_t> &values, float &scale);
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
  llvm::DenseMap<Type, func::FuncOp> layerFunctions;
  std::pair<ElementsAttr, ElementsAttr> int8HeadCache;
};

//===----------------------------------------------------------------------===//
// Config and tensor checks
//===----------------------------------------------------------------------===//

bool Importer::readConfig() {
  const json::Object &c = ckpt.config();
  std::string where = ckpt.directory() + "/config.json";
  const json::Array *archs = c.getArray("architectures");
  std::string arch =
      archs && !archs->empty() && (*archs)[0].getAsString()
          ? (*archs)[0].getAsString()->str()
          : "";
  const json::Object *quant = c.getObject("quantization_config");
  std::optional<llvm::StringRef> method =
      quant ? quant->getString("quant_method") : std::nullopt;
  if (arch == kBitNet2B4T.name)
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
  cfg.tied = c.getBoolean("tie_word_embeddings").value_or(
      cfg.arch != &kLlamaBitnet);
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
  if (cfg.heads % cfg.kvHeads != 0 || cfg.headDim % 2 != 0 ||
      cfg.headDim * cfg.heads != cfg.hidden) {
    problem(where + ": num_attention_heads (" + llvm::Twine(cfg.heads) +
            ") must be a multiple of num_key_value_heads (" +
            llvm::Twine(cfg.kvHeads) + ") and head_dim (" +
            llvm::Twine(cfg.headDim) + ") even, with heads * head_dim = "
            "hidden_size");
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
    problem(ckpt.directory() + ": missing tensor '" + name + "'");
    return nullptr;
  }
  if (!llvm::is_contained(dtypes, t->dtype)) {
    problem(t->file + ": tensor '" + name + "' has dtype " +
            toString(t->dtype) + ", which this architecture does not use here");
    return nullptr;
  }
  // A 1-element scale may be stored as [] or [1].
  bool scalarOk = shape.size() == 1 && shape[0] == 1 && t->numElements() == 1;
  if (t->shape != std::vector<int64_t>(shape.begin(), shape.end()) &&
      !scalarOk) {
    problem(t->file + ": tensor '" + name + "' has shape " +
            shapeText(t->shape) + ", expected " + shapeText(shape));
    return nullptr;
  }
  return t;
}

void Importer::checkTensors() {
  const Dtype floats[] = {Dtype::F32, Dtype::F16, Dtype::BF16};
  const Dtype packed[] = {Dtype::U8, Dtype::I8};
  int64_t h = cfg.hidden, f = cfg.intermediate, d = cfg.headDim;
  expect("model.embed_tokens.weight", {cfg.vocab, h}, floats);
  expect("model.norm.weight", {h}, floats);
  if (!cfg.tied)
    expect("lm_head.weight", {cfg.vocab, h}, floats);
  struct Linear {
    const char *name;
    int64_t out, in;
  };
  const Linear linears[] = {{"self_attn.q_proj", cfg.heads * d, h},
                            {"self_attn.k_proj", cfg.kvHeads * d, h},
                            {"self_attn.v_proj", cfg.kvHeads * d, h},
                            {"self_attn.o_proj", h, cfg.heads * d},
                            {"mlp.gate_proj", f, h},
                            {"mlp.up_proj", f, h},
                            {"mlp.down_proj", h, f}};
  for (int64_t l = 0; l < cfg.layers; ++l) {
    std::string prefix = "model.layers." + std::to_string(l) + ".";
    expect(prefix + "input_layernorm.weight", {h}, floats);
    expect(prefix + "post_attention_layernorm.weight", {h}, floats);
    if (!cfg.arch->attnSubNorm.empty())
      expect(prefix + cfg.arch->attnSubNorm.str() + ".weight", {h}, floats);
    if (!cfg.arch->ffnSubNorm.empty())
      expect(prefix + cfg.arch->ffnSubNorm.str() + ".weight", {f}, floats);
    for (const Linear &lin : linears) {
      std::string name = prefix + lin.name;
      if (cfg.arch->packedWeights) {
        if (lin.out % 4 != 0) {
          problem(ckpt.directory() + ": '" + name + "' has " +
                  llvm::Twine(lin.out) +
                  " output features, not a multiple of 4 as packing needs");
          continue;
        }
        expect(name + ".weight", {lin.out / 4, lin.in}, packed);
        expect(name + ".weight_scale", {1}, floats);
      } else {
        expect(name + ".weight", {lin.out, lin.in}, floats);
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

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

bool Importer::ternaryWeight(const std::string &prefix, int64_t out,
                             int64_t in, std::vector<int8_t> &values,
                             float &scale) {
  const Tensor &t = *ckpt.find(prefix + ".weight");
  values.resize(size_t(out * in));
  if (cfg.arch->packedWeights) {
    // Byte [r, c] holds rows r + i * out/4 at bits 2i, code = w + 1.
    scale = weightScale(prefix);
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
        values[size_t(n * in + k)] = int8_t(code - 1);
      }
    }
    return true;
  }
  std::vector<float> w(size_t(out * in));
  for (int64_t i = 0; i < out * in; ++i)
    w[size_t(i)] = elementAsFloat(t, i);
  ::tern::ternarize(w.data(), out, in, ::tern::ScaleGroups{}, 1e-5f,
                    values.data(), &scale);
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

void Importer::linearParams(llvm::ArrayRef<std::string> prefixes,
                            llvm::ArrayRef<int64_t> outFeatures,
                            int64_t inFeatures,
                            llvm::SmallVectorImpl<Value> &params) {
  std::string key = llvm::join(prefixes, "+");
  auto &[weight, scales] = linearCache[key];
  bool dense = options.dense != ImportOptions::Dense::None;
  bool bf16 = options.dense == ImportOptions::Dense::BF16;
  if (!weight) {
    int64_t rows = 0;
    for (int64_t out : outFeatures)
      rows += out;
    const ::tern::Layout layout = layoutFor(rows, inFeatures);
    const int64_t rowBytes = dense ? inFeatures * (bf16 ? 2 : 4)
                                   : layout.packedRowBytes(inFeatures);
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocate(size_t(rows * rowBytes), /*align=*/64);
    char *dst = blob.getMutableData().data();
    std::vector<float> rowScales;
    // The stacked ternary values, packed as one matrix (the layout may
    // interleave rows across the projections' boundaries).
    std::vector<int8_t> stacked, values;
    for (auto [prefix, out] : llvm::zip(prefixes, outFeatures)) {
      float scale = 0;
      if (!ternaryWeight(prefix, out, inFeatures, values, scale))
        break;
      rowScales.insert(rowScales.end(), size_t(out), scale);
      if (!dense) {
        stacked.insert(stacked.end(), values.begin(),
                       values.begin() + out * inFeatures);
        continue;
      }
      for (int64_t n = 0; n < out; ++n, dst += rowBytes) {
        const int8_t *row = values.data() + n * inFeatures;
        for (int64_t k = 0; k < inFeatures; ++k) {
          float v = float(row[k]) * scale;
          if (bf16) {
            uint16_t h = toBF16(v);
            std::memcpy(dst + 2 * k, &h, 2);
          } else {
            std::memcpy(dst + 4 * k, &v, 4);
          }
        }
      }
    }
    if (!dense && stacked.size() == size_t(rows * inFeatures))
      ::tern::packMatrix(layout, stacked.data(), rows, inFeatures,
                         reinterpret_cast<uint8_t *>(dst));
    Type element = !dense ? Type(b.getI8Type())
                   : bf16 ? Type(b.getBF16Type())
                          : Type(b.getF32Type());
    int64_t columns = dense ? inFeatures : rowBytes;
    weight = DenseResourceElementsAttr::get(
        RankedTensorType::get({rows, columns}, element),
        key + (dense ? ".dense" : ".packed"), std::move(blob));
    if (!dense && rowScales.size() == size_t(rows)) {
      // One projection: a per-tensor scale; several: one per output row.
      auto scaleType =
          prefixes.size() == 1
              ? RankedTensorType::get({}, b.getF32Type())
              : RankedTensorType::get({rows}, b.getF32Type());
      scales = prefixes.size() == 1
                   ? DenseElementsAttr::get(scaleType,
                                            b.getF32FloatAttr(rowScales[0]))
                   : DenseElementsAttr::get(scaleType,
                                            llvm::ArrayRef<float>(rowScales));
    }
  }
  params.push_back(arith::ConstantOp::create(b, loc, weight.getType(),
                                             cast<TypedAttr>(weight)));
  if (dense)
    return;
  if (!scales) { // a problem was recorded; keep the IR well formed
    auto scaleType = RankedTensorType::get({}, b.getF32Type());
    scales = DenseElementsAttr::get(scaleType, b.getF32FloatAttr(1.0f));
  }
  params.push_back(arith::ConstantOp::create(b, loc, scales.getType(),
                                             cast<TypedAttr>(scales)));
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

::tern::Layout Importer::layoutFor(int64_t n, int64_t k) {
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
  if (options.dense != ImportOptions::Dense::None)
    return LinearOp::create(b, loc, outType, x, weight);
  Value scale = params.take();
  bool perRow = cast<RankedTensorType>(scale.getType()).getRank() == 1;
  return BitLinearOp::create(
      b, loc, outType, x, weight, scale, /*bias=*/Value(),
      KindAttr::get(context, ::tern::WeightKind::Ternary),
      LayoutAttr::get(context, layoutFor(outFeatures, xType.getDimSize(1))),
      ScaleAttr::get(context, perRow ? ScaleGranularity::PerRow
                                     : ScaleGranularity::PerTensor),
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

/// h[t, :] = f32(embed_tokens[clamp(tokens[t]), :]). Token ids outside the
/// vocabulary are clamped so the gather never reads out of bounds.
Value Importer::embed(Value tokens) {
  const Tensor &t = *ckpt.find("model.embed_tokens.weight");
  Value table = constant(t, floatType(context, t.dtype), t.shape);
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
               Value id = arith::IndexCastOp::create(nb, l, nb.getIndexType(),
                                                     args[0]);
               Value zero = arith::ConstantIndexOp::create(nb, l, 0);
               Value last = arith::ConstantIndexOp::create(nb, l, vocab - 1);
               id = arith::MaxSIOp::create(nb, l, id, zero);
               id = arith::MinSIOp::create(nb, l, id, last);
               Value column = linalg::IndexOp::create(nb, l, 1);
               Value v = tensor::ExtractOp::create(nb, l, table,
                                                   ValueRange{id, column});
               if (!v.getType().isF32())
                 v = arith::ExtFOp::create(nb, l, nb.getF32Type(), v);
               linalg::YieldOp::create(nb, l, v);
             })
      .getResult(0);
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
  std::vector<float> row(static_cast<size_t>(cols));
  for (int64_t n = 0; n < rows; ++n) {
    for (int64_t k = 0; k < cols; ++k)
      row[size_t(k)] = elementAsFloat(t, n * cols + k);
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

Value Importer::logits(Value h) {
  const Tensor &t = *ckpt.find(cfg.tied ? "model.embed_tokens.weight"
                                        : "lm_head.weight");
  auto hType = cast<RankedTensorType>(h.getType());
  auto type = RankedTensorType::get({hType.getDimSize(0), cfg.vocab},
                                    b.getF32Type());
  if (options.headInt8) {
    auto [weights, scales] = int8Head(t);
    return LinearOp::create(
        b, loc, type, h,
        arith::ConstantOp::create(b, loc, weights.getType(),
                                  cast<TypedAttr>(weights)),
        arith::ConstantOp::create(b, loc, scales.getType(),
                                  cast<TypedAttr>(scales)));
  }
  Value head = constant(t, floatType(context, t.dtype), t.shape);
  return LinearOp::create(b, loc, type, h, head);
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
                          RopeStyleAttr::get(context, RopeStyle::Half))
        .getResult();
  };
  Value qh = rope(split(q, cfg.heads));
  Value kh = rope(split(k, cfg.kvHeads));
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
