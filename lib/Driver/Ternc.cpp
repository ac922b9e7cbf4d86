//===- Ternc.cpp - The ternc compiler driver ------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// ternc INPUT -o OUT: imports the model (today: .mlir), runs the tern
// transform and CPU lowering pipelines (tern-opt replays both by name),
// translates to LLVM IR, optimizes, emits an object in-process and links a
// shared-library artifact whose header lists its entry points, the CPU
// features it needs and the checksum of its weights. --emit stops early at any
// stage and writes that stage's output instead.
//
//===----------------------------------------------------------------------===//
#include "tern/Driver/Ternc.h"
#include "EntryPoints.h"
#include "tern/Driver/Autotune.h"
#include "tern/Dialect/Tern/IR/TernAttrs.h"
#include "tern/Dialect/Tern/IR/TernConstants.h"
#include "tern/Dialect/Tern/IR/TernOps.h"
#include "tern/Dialect/Tern/Transforms/Passes.h"
#include "tern/Import/HF/Checkpoint.h"
#include "tern/Import/HF/GenerationConfig.h"
#include "tern/Import/HF/Import.h"
#include "tern/Import/GGUF/Model.h"
#include "tern/Import/HF/TokenizerJson.h"
#include "tern/Import/ONNX/Import.h"
#include "tern/Support/Tokenizer.h"
#include "tern/InitAll.h"
#include "tern/Pipelines/Pipelines.h"
#include "tern/Target/CPU/CpuTarget.h"
#include "tern/Target/Plugin.h"
#include "tern/Target/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::tern;
namespace cl = llvm::cl;

namespace {

enum class Emit { Mlir, Tern, LLVMDialect, LLVM, Asm, Obj, Ptx, Lib };
enum class WeightsMode { Auto, Embed, External };

/// ternc's own options: `--help` lists these (and the MLIR printing and
/// timing options); LLVM's codegen flags still parse but stay out of it.
cl::OptionCategory terncCategory("ternc options");

struct Options {
  cl::opt<std::string> input{cl::Positional, cl::desc("<input model>"),
                             cl::cat(terncCategory)};
  cl::opt<std::string> output{"o", cl::desc("Output file"),
                              cl::value_desc("path"), cl::cat(terncCategory)};
  cl::opt<Emit> emit{
      "emit", cl::desc("What to produce"), cl::init(Emit::Lib),
      cl::values(
          clEnumValN(Emit::Mlir, "mlir", "MLIR after import"),
          clEnumValN(Emit::Tern, "tern", "tern IR after the tern transforms"),
          clEnumValN(Emit::LLVMDialect, "llvm-dialect",
                     "MLIR after lowering to the LLVM dialect"),
          clEnumValN(Emit::LLVM, "llvm", "optimized LLVM IR"),
          clEnumValN(Emit::Asm, "asm", "assembly"),
          clEnumValN(Emit::Obj, "obj", "an object file"),
          clEnumValN(Emit::Ptx, "ptx", "the PTX of the kernels (--target=cuda)"),
          clEnumValN(Emit::Lib, "lib", "a shared-library artifact (default)")), cl::cat(terncCategory)};
  cl::opt<unsigned> optLevel{"O", cl::desc("Optimization level (0-3)"),
                             cl::Prefix, cl::init(3), cl::cat(terncCategory)};
  cl::opt<std::string> target{
      "target",
      cl::desc("Backend (--list-targets shows them): x86_64 (default: this "
               "machine's CPU) or cuda (NVIDIA GPUs)"),
      cl::init("x86_64"), cl::cat(terncCategory)};
  cl::opt<std::string> gpuArch{
      "gpu-arch",
      cl::desc("GPU architecture of a GPU target (cuda: sm_80, or sm_90 by "
               "default)"),
      cl::init(""), cl::cat(terncCategory)};
  cl::list<std::string> loadBackend{
      "load-backend",
      cl::desc("Load a backend plugin (a shared library; see "
               "docs/AddingABackend.md) before choosing --target"),
      cl::value_desc("path"), cl::cat(terncCategory)};
  cl::opt<bool> listTargets{
      "list-targets",
      cl::desc("List the backends (--target) and the options each reads"),
      cl::init(false), cl::cat(terncCategory)};
  cl::opt<std::string> mcpu{"mcpu", cl::desc("Target CPU: host or a name"),
                            cl::init("host"), cl::cat(terncCategory)};
  cl::opt<std::string> mattr{"mattr",
                             cl::desc("Target features, e.g. -avx512f,+avx2"),
                             cl::init(""), cl::cat(terncCategory)};
  cl::opt<std::string> layout{
      "layout", cl::desc("Weight layout (default: the target's choice)"),
      cl::init(""), cl::cat(terncCategory)};
  cl::opt<std::string> binaryKernel{
      "binary-kernel",
      cl::desc("How 1-bit weights meet the activations on AVX-512: dot "
               "(default) or mask-select (for comparison; see "
               "docs/performance.md)"),
      cl::init("dot"), cl::cat(terncCategory), cl::Hidden};
  cl::opt<bool> autotune{
      "autotune",
      cl::desc("Choose each weight shape's layout by timing the candidates' "
               "kernels on this machine (results cached)"),
      cl::init(false), cl::cat(terncCategory)};
  cl::opt<std::string> autotuneCache{
      "autotune-cache",
      cl::desc("Directory of the autotune cache (default: $TERN_CACHE_DIR, "
               "$XDG_CACHE_HOME/tern or ~/.cache/tern; 'off': none)"),
      cl::value_desc("dir"), cl::init(""), cl::cat(terncCategory)};
  cl::opt<int> autotuneThreads{
      "autotune-threads",
      cl::desc("Threads the kernels are timed on (default: one per hardware "
               "thread, as the runtime runs them)"),
      cl::init(0), cl::cat(terncCategory)};
  cl::list<std::string> autotuneLayouts{
      "autotune-layouts",
      cl::desc("Layouts --autotune chooses from (default: the target's "
               "2-bit layouts and base-3)"),
      cl::CommaSeparated, cl::value_desc("spec,..."), cl::cat(terncCategory)};
  cl::opt<WeightsMode> weights{
      "weights", cl::desc("Where the weights go"), cl::init(WeightsMode::Auto),
      cl::values(clEnumValN(WeightsMode::Auto, "auto",
                            "embedded up to --weights-threshold bytes, else "
                            "external"),
                 clEnumValN(WeightsMode::Embed, "embed",
                            "in the artifact's read-only data"),
                 clEnumValN(WeightsMode::External, "external",
                            "in OUT.weights, memory-mapped at load")), cl::cat(terncCategory)};
  cl::opt<uint64_t> weightsThreshold{
      "weights-threshold", cl::desc("Largest embedded weights (auto mode)"),
      cl::init(uint64_t(64) << 20), cl::cat(terncCategory)};
  cl::opt<int64_t> maxContext{
      "max-context",
      cl::desc("KV-cache capacity of imported models, in tokens (default: "
               "the config's max_position_embeddings, at most 4096)"),
      cl::init(0), cl::cat(terncCategory)};
  cl::opt<bool> onnxLift{
      "onnx-lift-lm",
      cl::desc("Compile an ONNX causal language model's prefill graph to "
               "KV-cache entry points (prefill, prefill_last, decode; "
               "default), or with =false keep its signature as 'main'"),
      cl::init(true), cl::cat(terncCategory)};
  cl::opt<std::string> lmHead{
      "lm-head",
      cl::desc("Output head of imported checkpoints: 'keep' the checkpoint's "
               "precision (default) or 'int8' (per-row scales: half the "
               "bytes of a bf16 head, and different logits)"),
      cl::init("keep"), cl::cat(terncCategory)};
  cl::opt<std::string> dense{
      "dense",
      cl::desc("Compile a dense baseline of an imported checkpoint: 'f32' or "
               "'bf16' layer weights (ternary value x scale) run as float "
               "matmuls without activation quantization, for speed and "
               "memory comparisons (its logits are not the ternary model's)"),
      cl::init(""), cl::cat(terncCategory)};
  cl::opt<bool> printIRAfterAll{"print-ir-after-all",
                                cl::desc("Print the IR after every pass"),
                                cl::init(false), cl::cat(terncCategory)};
};

/// Reports an error in the driver's format and returns the exit code.
int fail(const llvm::Twine &message) {
  llvm::errs() << "ternc: error: " << message << "\n";
  return 1;
}

/// Asks the autotuner for the layout of every low-bit matmul whose weight
/// tern-pack-weights will pack (a constant of static shape), recording it in
/// the op's tern.pack_layout attribute.
LogicalResult chooseLayouts(ModuleOp module, Autotuner &tuner) {
  WalkResult result = module.walk([&](Operation *op) {
    if (!isa<MatmulOp, BitLinearOp>(op))
      return WalkResult::advance();
    Value weight = op->getOperand(1);
    auto weightType = cast<RankedTensorType>(weight.getType());
    int64_t k = cast<ShapedType>(op->getOperand(0).getType()).getDimSize(1);
    if (!weight.getDefiningOp() || !weightType.hasStaticShape() ||
        ShapedType::isDynamic(k))
      return WalkResult::advance();
    auto kind = op->getAttrOfType<KindAttr>("kind");
    std::string error;
    std::optional<::tern::Layout> layout = tuner.choose(
        weightType.getDimSize(0), k,
        kind ? kind.getKind() : ::tern::WeightKind::Ternary, error);
    if (!layout) {
      op->emitError() << "--autotune: " << error;
      return WalkResult::interrupt();
    }
    op->setAttr(kPackLayoutAttrName, LayoutAttr::get(op->getContext(), *layout));
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// Opens `path` for writing ("-" is stdout), reporting failures.
std::unique_ptr<llvm::ToolOutputFile> openOutput(const std::string &path,
                                                 bool binary) {
  std::error_code ec;
  auto file = std::make_unique<llvm::ToolOutputFile>(
      path, ec, binary ? llvm::sys::fs::OF_None : llvm::sys::fs::OF_Text);
  if (ec) {
    fail("cannot open '" + path + "' for writing: " + ec.message());
    return nullptr;
  }
  return file;
}

int printModule(ModuleOp module, const std::string &path) {
  auto out = openOutput(path.empty() ? "-" : path, /*binary=*/false);
  if (!out)
    return 1;
  module.print(out->os());
  out->os() << "\n"; // as tern-opt prints it, so the two can be diffed
  out->keep();
  return 0;
}

int run(Options &opts) {
  // --mlir-timing reports ternc's phases, with the pass pipelines nested.
  DefaultTimingManager timing;
  applyDefaultTimingManagerCLOptions(timing);
  TimingScope root = timing.getRootScope();

  for (const std::string &path : opts.loadBackend) {
    std::string pluginError;
    if (!loadBackendPlugin(path, pluginError))
      return fail(pluginError);
  }
  if (opts.listTargets) {
    printTargets(llvm::outs());
    return 0;
  }
  if (opts.input.empty())
    return fail("no input model (ternc MODEL -o OUT; see --help)");
  bool isCheckpoint = llvm::sys::fs::is_directory(opts.input);
  std::string ext = llvm::sys::path::extension(opts.input).str();
  bool isOnnx = ext == ".onnx";
  bool isGguf = ext == ".gguf" || (!isCheckpoint && gguf::isGgufFile(opts.input));
  if (!isCheckpoint && !isOnnx && !isGguf && ext != ".mlir" &&
      ext != ".mlirbc")
    return fail("unsupported input '" + opts.input +
                "': ternc reads .mlir, .mlirbc, .onnx and .gguf files and "
                "Hugging Face checkpoint directories");

  std::string error;
  // The backend: everything target-specific is behind it.
  std::unique_ptr<Target> target = createTarget(opts.target, error);
  if (!target)
    return fail(error);

  DialectRegistry registry;
  registerAllDialects(registry);
  target->registerDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Diagnostics name the op and its location; a dump of the IR around it
  // helps compiler developers, not users.
  context.printOpOnDiagnostic(false);
  TargetOptions targetOptions;
  targetOptions.cpu = opts.mcpu;
  targetOptions.mattr = opts.mattr;
  targetOptions.gpuArch = opts.gpuArch;
  targetOptions.layout = opts.layout;
  targetOptions.binaryKernel = opts.binaryKernel;
  targetOptions.optLevel = opts.optLevel;
  if (!target->configure(targetOptions, error))
    return fail(error);
  if (opts.emit == Emit::Ptx && !target->hasDeviceCode())
    return fail("--emit=ptx needs a target with device code (--target=cuda)");
  LayoutAttr layout;
  if (!opts.layout.empty() &&
      !(layout = parseLayoutSpec(&context, opts.layout, error)))
    return fail("--layout: " + error);
  std::unique_ptr<Autotuner> tuner;
  if (opts.autotune) {
    if (!target->layoutsChoosable())
      return fail("--target=" + opts.target +
                  " chooses the weight layout itself; --autotune is for CPU "
                  "targets");
    if (!target->autotunable())
      return fail("--autotune times kernels on this machine, which cannot "
                  "run --target=" + opts.target + " code; give --layout");
    if (layout)
      return fail("--layout and --autotune both choose the weight layout; "
                  "give one");
    AutotuneOptions tuneOptions;
    const std::string &cacheDir = opts.autotuneCache;
    tuneOptions.cacheDir = cacheDir.empty()  ? defaultAutotuneCacheDir()
                           : cacheDir == "off" ? std::string()
                                               : cacheDir;
    if (opts.autotuneThreads < 0)
      return fail("--autotune-threads must be 0 (all) or more");
    tuneOptions.threads = opts.autotuneThreads;
    for (const std::string &spec : opts.autotuneLayouts) {
      std::optional<::tern::Layout> candidate =
          ::tern::Layout::parse(spec, &error);
      if (!candidate)
        return fail("--autotune-layouts: " + error);
      tuneOptions.candidates.push_back(*candidate);
    }
    tuneOptions.log = &llvm::errs();
    tuner = Autotuner::create(target->host(), std::move(tuneOptions), error);
    if (!tuner)
      return fail(error);
  } else if (!opts.autotuneLayouts.empty()) {
    return fail("--autotune-layouts needs --autotune");
  }

  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module;
  // Imported weights point into the checkpoint's mapped files until the
  // artifact is written.
  std::unique_ptr<hf::Checkpoint> checkpoint;
  std::optional<::tern::TokenizerData> ggufTokenizer;
  std::string ggufChatTemplate;
  std::unique_ptr<onnx_import::OnnxModel> onnxModel;
  hf::ModelInfo model;
  // A lifted ONNX language model's directory and config.json.
  std::string onnxDirectory;
  llvm::json::Object onnxConfig;
  if (isOnnx) {
    TimingScope importTimer = root.nest("import ONNX");
    onnxModel = onnx_import::OnnxModel::open(opts.input, error);
    if (!onnxModel)
      return fail(error);
    // A language model's config.json, if it was exported beside the model,
    // sizes the KV cache and names its special tokens.
    llvm::SmallString<256> directory(opts.input);
    llvm::sys::path::remove_filename(directory);
    if (directory.empty())
      directory = ".";
    llvm::SmallString<256> configPath(directory);
    llvm::sys::path::append(configPath, "config.json");
    llvm::json::Value configJson = llvm::json::Object();
    if (llvm::sys::fs::exists(configPath) &&
        !hf::readJsonFile(configPath.str().str(), configJson, error))
      return fail(error);
    const llvm::json::Object *config = configJson.getAsObject();
    if (!config)
      return fail(configPath.str().str() + ": expected a JSON object");
    auto integer = [&](llvm::StringRef key, int64_t fallback) {
      std::optional<int64_t> v = config->getInteger(key);
      return v ? *v : fallback;
    };
    if (opts.lmHead != "keep" && opts.lmHead != "int8")
      return fail("--lm-head takes 'keep' or 'int8', got '" + opts.lmHead + "'");
    onnx_import::ImportOptions onnxOptions;
    onnxOptions.headInt8 = opts.lmHead == "int8";
    onnxOptions.liftLanguageModel = opts.onnxLift;
    onnxOptions.context =
        opts.maxContext > 0
            ? int64_t(opts.maxContext)
            : std::min<int64_t>(integer("max_position_embeddings", 2048), 4096);
    std::vector<std::string> warnings;
    module = onnx_import::importModel(&context, *onnxModel, onnxOptions, model,
                                      error, warnings);
    for (const std::string &warning : warnings)
      llvm::errs() << "ternc: warning: " << warning << "\n";
    if (!module)
      return fail(error);
    if (!model.architecture.empty()) {
      model.bos = integer("bos_token_id", -1);
      model.eos = integer("eos_token_id", -1);
      if (model.bos >= model.vocab || model.eos >= model.vocab)
        return fail(configPath.str().str() +
                    ": a special token id is outside the vocabulary of " +
                    std::to_string(model.vocab));
      onnxDirectory = directory.str().str();
      onnxConfig = *config;
    }
  } else if (isCheckpoint || isGguf) {
    if (isGguf) {
      TimingScope readTimer = root.nest("read GGUF");
      gguf::GgufModel ggufModel;
      if (!gguf::openModel(opts.input, ggufModel, error))
        return fail(error);
      checkpoint = std::move(ggufModel.checkpoint);
      ggufTokenizer = std::move(ggufModel.tokenizer);
      ggufChatTemplate = std::move(ggufModel.chatTemplate);
    } else {
      checkpoint = hf::Checkpoint::open(opts.input, error);
    }
    if (!checkpoint)
      return fail(error);
    hf::ImportOptions importOptions;
    importOptions.layout =
        layout ? layout.getLayout() : target->ternaryLayout();
    importOptions.binaryLayout = target->binaryLayout();
    if (tuner)
      importOptions.chooseLayout = [&](int64_t n, int64_t k,
                                       std::string &why) {
        return tuner->choose(n, k, ::tern::WeightKind::Ternary, why);
      };
    importOptions.maxContext = opts.maxContext;
    if (opts.lmHead != "keep" && opts.lmHead != "int8")
      return fail("--lm-head takes 'keep' or 'int8', got '" + opts.lmHead + "'");
    importOptions.headInt8 = opts.lmHead == "int8";
    if (opts.dense == "f32")
      importOptions.dense = hf::ImportOptions::Dense::F32;
    else if (opts.dense == "bf16")
      importOptions.dense = hf::ImportOptions::Dense::BF16;
    else if (!opts.dense.empty())
      return fail("--dense takes 'f32' or 'bf16', got '" + opts.dense + "'");
    TimingScope importTimer = root.nest("import checkpoint");
    module = hf::importCheckpoint(&context, *checkpoint, importOptions, model,
                                  error);
    importTimer.stop();
    if (!module)
      return fail(error);
  } else {
    std::string openError;
    auto buffer = openInputFile(opts.input, &openError);
    if (!buffer)
      return fail("cannot read '" + opts.input + "': " + openError);
    sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return 1; // the parser reported where
  }
  if (failed(verify(*module)))
    return 1;
  if (tuner && !isCheckpoint && !isGguf &&
      failed(chooseLayouts(*module, *tuner)))
    return 1;
  if (opts.emit == Emit::Mlir)
    return printModule(*module, opts.output);

  ::tern::ArtifactMetadata metadata;
  // A checkpoint's tokenizer and generation defaults travel in the
  // artifact, so it runs alone.
  std::vector<DataSymbol> dataSymbols;
  if (isGguf) {
    // The vocabulary comes from the file; generation ends at its eos.
    if (ggufTokenizer)
      dataSymbols.push_back(
          {::tern::kTokenizerSymbol, ggufTokenizer->serialize()});
    if (model.eos >= 0)
      model.stop.push_back(model.eos);
    hf::applyChatTemplate(ggufChatTemplate,
                          ggufTokenizer ? &*ggufTokenizer : nullptr, model);
    metadata.model = model;
  } else if (isCheckpoint || !onnxDirectory.empty()) {
    llvm::SmallString<256> path(isCheckpoint ? opts.input : onnxDirectory);
    llvm::sys::path::append(path, "tokenizer.json");
    std::optional<::tern::TokenizerData> tokenizer;
    if (llvm::sys::fs::exists(path)) {
      tokenizer.emplace();
      if (!hf::readTokenizerJson(path.str().str(), *tokenizer, error))
        return fail(error);
      dataSymbols.push_back({::tern::kTokenizerSymbol, tokenizer->serialize()});
    }
    bool read = isCheckpoint
                    ? hf::readGenerationConfig(
                          *checkpoint, tokenizer ? &*tokenizer : nullptr,
                          model, error)
                    : hf::readGenerationConfig(
                          onnxDirectory, onnxConfig,
                          tokenizer ? &*tokenizer : nullptr, model, error);
    if (!read)
      return fail(error);
    metadata.model = model;
  }
  if (failed(collectEntryPoints(*module, metadata.functions)))
    return 1;

  auto runPipeline = [&](function_ref<void(OpPassManager &)> build,
                         StringRef name) {
    PassManager pm(&context);
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    TimingScope pipelineTimer = root.nest(name);
    pm.enableTiming(pipelineTimer);
    if (opts.printIRAfterAll) {
      context.disableMultithreading();
      pm.enableIRPrinting([](Pass *, Operation *) { return false; },
                          [](Pass *, Operation *) { return true; },
                          /*printModuleScope=*/true,
                          /*printAfterOnlyOnChange=*/false);
    }
    build(pm);
    return pm.run(*module);
  };
  if (failed(runPipeline(
          [&](OpPassManager &pm) { target->buildTransformPipeline(pm); },
          "tern-transform-pipeline")))
    return 1;
  if (opts.emit == Emit::Tern)
    return printModule(*module, opts.output);
  if (failed(runPipeline(
          [&](OpPassManager &pm) { target->buildLoweringPipeline(pm); },
          target->loweringPipelineName())))
    return 1;
  // The header's target records and what the artifact carries besides
  // host code (a GPU's kernels).
  if (!target->finishArtifact(*module, metadata, dataSymbols, error))
    return fail(error);
  if (opts.emit == Emit::Ptx) {
    auto out = openOutput(opts.output.empty() ? std::string("-")
                                              : opts.output.getValue(),
                          /*binary=*/false);
    if (!out)
      return 1;
    out->os() << target->deviceCode();
    out->keep();
    return 0;
  }

  // tern-opt --tern-cpu-pipeline prints exactly this.
  if (opts.emit == Emit::LLVMDialect)
    return printModule(*module, opts.output);

  // The weights blob left by tern-outline-weights, viewed in place (it can
  // be gigabytes); the attribute keeps it alive until the module dies.
  ArrayRef<char> weights;
  Attribute weightsAttr = (*module)->getAttr("tern.weights");
  if (weightsAttr) {
    std::optional<ArrayRef<char>> bytes = viewConstantBytes(weightsAttr);
    if (!bytes)
      return fail("cannot read the outlined weights");
    weights = *bytes;
    (*module)->removeAttr("tern.weights");
  }

  TimingScope hashTimer = root.nest("weights checksum");
  metadata.weightsBytes = weights.size();
  metadata.weightsHash = ::tern::hashWeights(weights.data(), weights.size());
  hashTimer.stop();
  metadata.weightsExternal =
      opts.weights == WeightsMode::External ||
      (opts.weights == WeightsMode::Auto &&
       weights.size() > opts.weightsThreshold);
  std::string output = opts.output;
  if (output.empty())
    output = opts.emit == Emit::Lib
                 ? llvm::sys::path::filename(opts.input).str() + ".so"
             : opts.emit == Emit::Obj ? llvm::sys::path::stem(opts.input).str() + ".o"
                                      : "-";
  // The weights file sits beside the artifact (or the object it becomes).
  std::string weightsPath =
      output == "-" ? llvm::sys::path::stem(opts.input).str() + ".so.weights"
                    : output + ".weights";
  if (metadata.weightsExternal)
    metadata.weightsFile = llvm::sys::path::filename(weightsPath).str();
  auto writeWeights = [&]() {
    auto out = openOutput(weightsPath, /*binary=*/true);
    if (!out)
      return false;
    out->os().write(weights.data(), weights.size());
    out->keep();
    return true;
  };

  llvm::LLVMContext llvmContext;
  TimingScope translateTimer = root.nest("translate and optimize LLVM IR");
  std::unique_ptr<llvm::Module> llvmModule = translateToLLVMIR(
      *module, target->host(), metadata,
      metadata.weightsExternal ? ArrayRef<char>() : weights,
      dataSymbols, llvmContext, error);
  translateTimer.stop();
  if (!llvmModule)
    return fail(error);
  if (opts.emit == Emit::LLVM) {
    auto out = openOutput(output, /*binary=*/false);
    if (!out)
      return 1;
    llvmModule->print(out->os(), nullptr);
    out->keep();
    return 0;
  }
  if (opts.emit == Emit::Asm || opts.emit == Emit::Obj) {
    auto out = openOutput(output, opts.emit == Emit::Obj);
    if (!out || !emitMachineCode(*llvmModule, target->host(), opts.emit == Emit::Asm,
                                 out->os(), error))
      return out ? fail(error) : 1;
    out->keep();
    if (opts.emit == Emit::Obj && metadata.weightsExternal && !writeWeights())
      return 1;
    return 0;
  }

  // A shared library: machine code to a temporary object, then link.
  TimingScope codegenTimer = root.nest("machine code and link");
  if (!buildSharedLibrary(*llvmModule, target->host(), output, error))
    return fail(error);
  codegenTimer.stop();
  TimingScope weightsTimer = root.nest("write weights");
  if (metadata.weightsExternal && !writeWeights())
    return 1;
  return 0;
}

} // namespace

int mlir::tern::terncMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // The pipelines are partly textual: every pass must be registered.
  registerAllPasses();
  registerBuiltinTargets();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  Options options;
  cl::HideUnrelatedOptions(terncCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "ternc: compile a ternary / 1-bit model to a native artifact\n");
  return run(options);
}
