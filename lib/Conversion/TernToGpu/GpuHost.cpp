//===- GpuHost.cpp - The host side of CUDA artifacts -----------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Three passes of the CUDA pipeline (see Passes.td): the host's remaining
// loops become kernels (tern-map-parallel-loops-to-gpu), all kernels share
// one gpu.module (tern-merge-gpu-modules), and after the NVPTX back end has
// made PTX of it, launches and allocations go through the hooks the runtime
// installs in the artifact (tern-lower-gpu-launches).
//
//===----------------------------------------------------------------------===//
#include "tern/Conversion/Passes.h"
#include "tern/Support/Artifact.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringSet.h"

#include <numeric>

namespace mlir::tern {
#define GEN_PASS_DEF_MAPPARALLELLOOPSTOGPUPASS
#define GEN_PASS_DEF_MERGEGPUMODULESPASS
#define GEN_PASS_DEF_LOWERGPULAUNCHESPASS
#include "tern/Conversion/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kKernelModule = "tern_kernels";
constexpr llvm::StringLiteral kLaunchKernelAttr = "tern.launch_kernel";
constexpr int64_t kThreadsPerBlock = 256;

//===----------------------------------------------------------------------===//
// tern-map-parallel-loops-to-gpu
//===----------------------------------------------------------------------===//

/// Remembers the scf.parallel ops a rewrite creates.
struct ParallelOpRecorder : public RewriterBase::Listener {
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint previous) override {
    if (auto loop = dyn_cast<scf::ParallelOp>(op))
      created.push_back(loop);
  }
  SmallVector<scf::ParallelOp> created;
};

const char kKernelLibrary[] =
#include "Kernels.mlir.inc"
    ;
const char kAttentionTemplate[] =
#include "Attention.mlir.inc"
    ;

/// The module's gpu.module of Tern kernels, filled from the library text.
class KernelLibrary {
public:
  explicit KernelLibrary(ModuleOp module) : module(module) {}

  /// Kernel `name`: from Kernels.mlir, or the attention template for
  /// `tern_attention_d<D>`; null after an error.
  gpu::GPUFuncOp get(StringRef name, Location loc) {
    int64_t headDim;
    if (name.consume_front("tern_attention_d") &&
        !name.getAsInteger(10, headDim))
      return attention(headDim, loc);
    if (!imported && failed(import(kKernelLibrary, loc)))
      return {};
    imported = true;
    return kernels().lookupSymbol<gpu::GPUFuncOp>(name);
  }

  /// The attention kernel for heads of `headDim` elements.
  gpu::GPUFuncOp attention(int64_t headDim, Location loc) {
    std::string name = "tern_attention_d" + std::to_string(headDim);
    if (auto existing = kernels().lookupSymbol<gpu::GPUFuncOp>(name))
      return existing;
    std::string text = kAttentionTemplate;
    replaceAll(text, "{DPL}", std::to_string(headDim / 32));
    replaceAll(text, "{D4}", std::to_string(4 * headDim));
    replaceAll(text, "{D}", std::to_string(headDim));
    if (failed(import(text, loc)))
      return {};
    return kernels().lookupSymbol<gpu::GPUFuncOp>(name);
  }

private:
  static void replaceAll(std::string &text, StringRef from, StringRef to) {
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to.str());
  }

  gpu::GPUModuleOp kernels() {
    if (auto existing = module.lookupSymbol<gpu::GPUModuleOp>(kKernelModule))
      return existing;
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    UnitAttr::get(module.getContext()));
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    return gpu::GPUModuleOp::create(b, module.getLoc(), kKernelModule);
  }

  /// Parses a gpu.module and copies the symbols `kernels()` lacks.
  LogicalResult import(StringRef text, Location loc) {
    ParserConfig config(module.getContext());
    OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, config);
    if (!parsed)
      return emitError(loc) << "internal error: Tern's CUDA kernel library "
                               "does not parse";
    gpu::GPUModuleOp target = kernels();
    SymbolTable symbols(target);
    for (auto source : parsed->getOps<gpu::GPUModuleOp>())
      for (Operation &op : source.getBody()->getOperations()) {
        auto symbol = dyn_cast<SymbolOpInterface>(op);
        if (!symbol || symbols.lookup(symbol.getName()))
          continue;
        symbols.insert(op.clone());
      }
    return success();
  }

  ModuleOp module;
  bool imported = false;
};

/// convert-tern-to-gpu's stand-in calls (grid x, y, z, threads, then the
/// kernel's operands) become the gpu.launch_funcs they stand for.
LogicalResult materializeKernelLaunches(ModuleOp module) {
  KernelLibrary library(module);
  SmallVector<func::FuncOp> declarations;
  for (auto function : module.getOps<func::FuncOp>())
    if (function->hasAttr(kLaunchKernelAttr))
      declarations.push_back(function);
  for (func::FuncOp declaration : declarations) {
    auto name = declaration->getAttrOfType<StringAttr>(kLaunchKernelAttr);
    gpu::GPUFuncOp kernel = library.get(name.getValue(), declaration.getLoc());
    if (!kernel)
      return declaration.emitError()
             << "internal error: no CUDA kernel '" << name.getValue() << "'";
    std::optional<SymbolTable::UseRange> uses =
        declaration.getSymbolUses(module);
    for (const SymbolTable::SymbolUse &use : *uses) {
      auto call = dyn_cast<func::CallOp>(use.getUser());
      if (!call)
        continue;
      OpBuilder b(call);
      Location loc = call.getLoc();
      ValueRange operands = call.getOperands();
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      gpu::LaunchFuncOp::create(
          b, loc, kernel, gpu::KernelDim3{operands[0], operands[1], operands[2]},
          gpu::KernelDim3{operands[3], one, one},
          /*dynamicSharedMemorySize=*/Value(), operands.drop_front(4));
      call.erase();
    }
    declaration.erase();
  }
  return success();
}

struct MapParallelLoopsToGpuPass
    : public mlir::tern::impl::MapParallelLoopsToGpuPassBase<
          MapParallelLoopsToGpuPass> {
  void runOnOperation() override {
    if (failed(materializeKernelLaunches(getOperation())))
      return signalPassFailure();
    SmallVector<scf::ParallelOp> loops;
    for (auto function : getOperation().getOps<func::FuncOp>())
      function.walk([&](scf::ParallelOp loop) {
        if (!loop->getParentOfType<scf::ParallelOp>() &&
            loop.getNumResults() == 0)
          loops.push_back(loop);
      });
    for (scf::ParallelOp loop : loops) {
      if (loop.getNumLoops() > 1) {
        ParallelOpRecorder recorder;
        IRRewriter rewriter(loop.getContext(), &recorder);
        std::vector<unsigned> all(loop.getNumLoops());
        std::iota(all.begin(), all.end(), 0u);
        collapseParallelLoops(rewriter, loop, {all});
        if (recorder.created.empty())
          continue;
        loop = recorder.created.front();
      }
      scf::tileParallelLoop(loop, {kThreadsPerBlock}, /*noMinMaxBounds=*/true);
    }
  }
};

//===----------------------------------------------------------------------===//
// tern-merge-gpu-modules
//===----------------------------------------------------------------------===//

struct MergeGpuModulesPass
    : public mlir::tern::impl::MergeGpuModulesPassBase<MergeGpuModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto target = module.lookupSymbol<gpu::GPUModuleOp>(kKernelModule);
    if (!target) {
      OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
      target = gpu::GPUModuleOp::create(b, module.getLoc(), kKernelModule);
    }
    SymbolTable symbols(target);
    // (module, kernel) -> the kernel's name in the merged module.
    llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    for (auto source :
         llvm::make_early_inc_range(module.getOps<gpu::GPUModuleOp>())) {
      if (source == target)
        continue;
      for (Operation &op :
           llvm::make_early_inc_range(source.getBody()->getOperations())) {
        auto symbol = dyn_cast<SymbolOpInterface>(op);
        if (!symbol)
          continue;
        StringAttr old = symbol.getNameAttr();
        // Outlined modules have unique names; their kernels take them.
        if (isa<gpu::GPUFuncOp>(op))
          symbol.setName(source.getSymNameAttr());
        op.remove();
        StringAttr name = symbols.insert(&op);
        renamed[{source.getSymNameAttr(), old}] = name;
      }
      source.erase();
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      auto it = renamed.find(
          {launch.getKernelModuleName(), launch.getKernelName()});
      if (it == renamed.end())
        return;
      launch.setKernelAttr(SymbolRefAttr::get(
          target.getSymNameAttr(), {FlatSymbolRefAttr::get(it->second)}));
    });
    // Only what is launched goes to PTX: the library's other kernels, then
    // the helpers nothing calls any more.
    llvm::StringSet<> launched;
    module.walk([&](gpu::LaunchFuncOp launch) {
      launched.insert(launch.getKernelName().getValue());
    });
    for (auto kernel :
         llvm::make_early_inc_range(target.getOps<gpu::GPUFuncOp>()))
      if (!launched.contains(kernel.getName()))
        kernel.erase();
    for (bool erased = true; erased;) {
      erased = false;
      for (auto helper :
           llvm::make_early_inc_range(target.getOps<func::FuncOp>()))
        if (helper.isPrivate() && SymbolTable::symbolKnownUseEmpty(helper, target)) {
          helper.erase();
          erased = true;
        }
    }
  }
};

//===----------------------------------------------------------------------===//
// tern-lower-gpu-launches
//===----------------------------------------------------------------------===//

/// The buffer a view is taken of, through subviews, casts and reshapes.
Value rootBuffer(Value buffer) {
  while (Operation *def = buffer.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      break;
    buffer = view.getViewSource();
  }
  return buffer;
}

/// Host buffers. Bookkeeping of buffer deallocation: lowering `bufferization.dealloc`
/// makes small index and i1 arrays (buffer addresses, ownership flags) that
/// host code fills and passes to a generated helper (`dealloc_helper`). They
/// are the only buffers host code touches; everything else is device memory.
bool isBookkeepingType(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && (memref.getElementType().isIndex() ||
                    memref.getElementType().isInteger(1));
}

/// A private function that launches nothing and takes only bookkeeping
/// arrays: a deallocation helper, running on the host.
bool isHostHelper(func::FuncOp function) {
  if (!function.isPrivate() || function.isExternal())
    return false;
  bool launches = false;
  function.walk([&](gpu::LaunchFuncOp) { launches = true; });
  return !launches &&
         llvm::all_of(function.getArgumentTypes(), [](Type type) {
           return !isa<MemRefType>(type) || isBookkeepingType(type);
         });
}

/// Whether only host code uses `alloc`: loads, stores, the shape operand
/// of a memref.reshape (an imported graph's shape arithmetic), its
/// deallocation; never a kernel.
bool onlyHostUses(memref::AllocOp alloc) {
  return llvm::all_of(alloc->getUses(), [&](OpOperand &use) {
    Operation *user = use.getOwner();
    if (auto reshape = dyn_cast<memref::ReshapeOp>(user))
      return use.get() == reshape.getShape() &&
             reshape.getSource() != alloc.getResult();
    return isa<memref::LoadOp, memref::StoreOp, memref::DeallocOp>(user);
  });
}

/// Bookkeeping arrays and buffers only host code uses move to the host
/// stack (their deallocations go).
void keepHostBuffersOnHost(ModuleOp module) {
  SmallVector<memref::AllocOp> hostOnly;
  for (auto function : module.getOps<func::FuncOp>())
    function.walk([&](memref::AllocOp alloc) {
      if (isBookkeepingType(alloc.getType()) || onlyHostUses(alloc))
        hostOnly.push_back(alloc);
    });
  for (memref::AllocOp alloc : hostOnly) {
    OpBuilder b(alloc);
    auto alloca = memref::AllocaOp::create(b, alloc.getLoc(), alloc.getType(),
                                           alloc.getDynamicSizes(),
                                           alloc.getAlignmentAttr());
    for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        user->erase();
    alloc.replaceAllUsesWith(alloca.getResult());
    alloc.erase();
  }
}

/// Host code may only read buffers the host can see: the runtime places an
/// entry point's rank-0 inputs (positions, lengths) in host-mapped memory;
/// everything else is device memory.
LogicalResult checkHostMemoryAccess(ModuleOp module) {
  bool ok = true;
  auto check = [&](Operation *op, Value buffer) {
    Value root = rootBuffer(buffer);
    auto type = dyn_cast<MemRefType>(root.getType());
    if ((isa<BlockArgument>(root) && type && type.getRank() == 0) ||
        root.getDefiningOp<memref::AllocaOp>())
      return;
    op->emitError() << "host code of a CUDA artifact would access device "
                       "memory ('"
                    << op->getName() << "' of a " << buffer.getType()
                    << "); only rank-0 inputs are host-visible";
    ok = false;
  };
  for (auto function : module.getOps<func::FuncOp>()) {
    if (isHostHelper(function))
      continue;
    function.walk([&](Operation *op) {
      if (auto load = dyn_cast<memref::LoadOp>(op))
        check(op, load.getMemref());
      else if (auto store = dyn_cast<memref::StoreOp>(op))
        check(op, store.getMemref());
      else if (isa<memref::CopyOp>(op))
        check(op, cast<memref::CopyOp>(op).getTarget());
    });
  }
  return success(ok);
}

struct LowerGpuLaunchesPass
    : public mlir::tern::impl::LowerGpuLaunchesPassBase<LowerGpuLaunchesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    keepHostBuffersOnHost(module);
    if (failed(checkHostMemoryAccess(module)))
      return signalPassFailure();

    // The PTX, from the one gpu.binary.
    SmallVector<gpu::BinaryOp> binaries(module.getOps<gpu::BinaryOp>());
    if (binaries.size() > 1) {
      module.emitError() << "expected one gpu.binary, found "
                         << binaries.size();
      return signalPassFailure();
    }
    if (!binaries.empty()) {
      auto objects = binaries.front().getObjects();
      auto object = objects.empty()
                        ? gpu::ObjectAttr()
                        : dyn_cast<gpu::ObjectAttr>(objects[0]);
      if (!object || object.getFormat() != gpu::CompilationTarget::Assembly) {
        binaries.front().emitError() << "expected PTX (format = isa)";
        return signalPassFailure();
      }
      // A call nothing defines: libdevice's math without libdevice.
      StringRef ptx = object.getObject().getValue();
      size_t external = ptx.find(".extern .func");
      if (external != StringRef::npos) {
        StringRef rest = ptx.substr(external);
        size_t nameStart = rest.find("__nv_");
        StringRef name = nameStart == StringRef::npos
                             ? rest.take_until([](char c) { return c == '\n'; })
                             : rest.substr(nameStart).take_until([](char c) {
                                 return c == '(' || c == ' ' || c == '\n';
                               });
        binaries.front().emitError()
            << "the kernels call '" << name
            << "', which no PTX defines: CUDA's libdevice is needed for "
               "the math of generic kernels (install a CUDA toolkit, or set "
               "CUDA_HOME to one)";
        return signalPassFailure();
      }
      module->setAttr("tern.gpu.ptx", object.getObject());
    }

    // Kernel indices in order of first launch.
    SmallVector<Attribute> names;
    llvm::StringMap<int64_t> indices;
    SmallVector<gpu::LaunchFuncOp> launches;
    module.walk([&](gpu::LaunchFuncOp launch) {
      launches.push_back(launch);
      StringRef name = launch.getKernelName().getValue();
      if (indices.try_emplace(name, int64_t(names.size())).second)
        names.push_back(StringAttr::get(context, name));
    });
    module->setAttr("tern.gpu.kernels", ArrayAttr::get(context, names));

    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    Location loc = module.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(context);
    Type i64 = b.getI64Type();
    auto global = [&](StringRef name, Type type) {
      auto op = LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/false,
                                       LLVM::Linkage::External, name,
                                       Attribute());
      OpBuilder::InsertionGuard guard(b);
      b.createBlock(&op.getInitializerRegion());
      LLVM::ReturnOp::create(b, loc, Value(LLVM::ZeroOp::create(b, loc, type)));
    };
    auto tableType =
        LLVM::LLVMArrayType::get(ptr, std::max<size_t>(names.size(), 1));
    global(::tern::kGpuFunctionsSymbol, tableType);
    global(::tern::kGpuLaunchSymbol, ptr);
    global(::tern::kGpuAllocSymbol, ptr);
    global(::tern::kGpuFreeSymbol, ptr);
    defineAllocators(b, loc);

    auto launchType = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(context),
        {ptr, i64, i64, i64, i64, i64, i64, i64, ptr});
    for (gpu::LaunchFuncOp launch : launches) {
      OpBuilder lb(launch);
      Location l = launch.getLoc();
      auto asI64 = [&](Value v) -> Value {
        if (v.getType().isIndex())
          return arith::IndexCastOp::create(lb, l, i64, v);
        if (v.getType().isInteger() && v.getType() != i64)
          return arith::ExtUIOp::create(lb, l, i64, v);
        return v;
      };
      // Parameters as NVVM expects them.
      SmallVector<Value> params;
      for (Value operand : launch.getKernelOperands()) {
        if (auto type = dyn_cast<MemRefType>(operand.getType())) {
          auto metadata =
              memref::ExtractStridedMetadataOp::create(lb, l, operand);
          Value base =
              memref::ExtractAlignedPointerAsIndexOp::create(lb, l, operand);
          Value address = LLVM::IntToPtrOp::create(lb, l, ptr, asI64(base));
          params.append({address, address, asI64(metadata.getOffset())});
          for (Value size : metadata.getSizes())
            params.push_back(asI64(size));
          for (Value stride : metadata.getStrides())
            params.push_back(asI64(stride));
        } else {
          params.push_back(operand.getType().isIndex() ? asI64(operand)
                                                       : operand);
        }
      }
      // Slots at the function's entry, so launches in loops reuse them.
      auto function = launch->getParentOfType<FunctionOpInterface>();
      OpBuilder eb = OpBuilder::atBlockBegin(&function.getFunctionBody().front());
      Value count = LLVM::ConstantOp::create(
          eb, l, i64, eb.getI64IntegerAttr(std::max<int64_t>(params.size(), 1)));
      Value slots = LLVM::AllocaOp::create(eb, l, ptr, i64, count, 8);
      Value pointers = LLVM::AllocaOp::create(eb, l, ptr, ptr, count, 8);
      for (auto [i, param] : llvm::enumerate(params)) {
        Value slot = LLVM::GEPOp::create(lb, l, ptr, i64, slots,
                                         ArrayRef<LLVM::GEPArg>{int32_t(i)});
        LLVM::StoreOp::create(lb, l, param, slot);
        Value entry = LLVM::GEPOp::create(lb, l, ptr, ptr, pointers,
                                          ArrayRef<LLVM::GEPArg>{int32_t(i)});
        LLVM::StoreOp::create(lb, l, slot, entry);
      }
      Value table = LLVM::AddressOfOp::create(lb, l, ptr,
                                              ::tern::kGpuFunctionsSymbol);
      Value slot = LLVM::GEPOp::create(
          lb, l, ptr, ptr, table,
          ArrayRef<LLVM::GEPArg>{
              int32_t(indices[launch.getKernelName().getValue()])});
      Value function_ = LLVM::LoadOp::create(lb, l, ptr, slot);
      Value hook = LLVM::LoadOp::create(
          lb, l, ptr,
          LLVM::AddressOfOp::create(lb, l, ptr, ::tern::kGpuLaunchSymbol));
      Value shared = launch.getDynamicSharedMemorySize()
                         ? asI64(launch.getDynamicSharedMemorySize())
                         : arith::ConstantIntOp::create(lb, l, i64, 0);
      gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
      gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
      LLVM::CallOp::create(
          lb, l, launchType,
          ValueRange{hook, function_, asI64(grid.x), asI64(grid.y),
                     asI64(grid.z), asI64(block.x), asI64(block.y),
                     asI64(block.z), shared, pointers});
      launch.erase();
    }
    for (gpu::BinaryOp binary : binaries)
      binary.erase();
    for (auto kernels :
         llvm::make_early_inc_range(module.getOps<gpu::GPUModuleOp>()))
      kernels.erase();
    module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }

  /// memref.alloc/dealloc lowered with use-generic-functions call these;
  /// they forward to the runtime's device allocator.
  void defineAllocators(OpBuilder &b, Location loc) {
    MLIRContext *context = b.getContext();
    auto ptr = LLVM::LLVMPointerType::get(context);
    Type i64 = b.getI64Type();
    auto voidType = LLVM::LLVMVoidType::get(context);
    auto define = [&](StringRef name, Type result, ArrayRef<Type> args,
                      StringRef hookName, unsigned forwarded) {
      auto fn = LLVM::LLVMFuncOp::create(
          b, loc, name, LLVM::LLVMFunctionType::get(result, args),
          LLVM::Linkage::Internal);
      OpBuilder::InsertionGuard guard(b);
      Block *entry = fn.addEntryBlock(b);
      b.setInsertionPointToStart(entry);
      Value hook = LLVM::LoadOp::create(
          b, loc, ptr, LLVM::AddressOfOp::create(b, loc, ptr, hookName));
      auto hookType = LLVM::LLVMFunctionType::get(
          result, {entry->getArgument(forwarded).getType()});
      auto call = LLVM::CallOp::create(
          b, loc, hookType, ValueRange{hook, entry->getArgument(forwarded)});
      LLVM::ReturnOp::create(b, loc,
                             isa<LLVM::LLVMVoidType>(result)
                                 ? ValueRange{}
                                 : ValueRange{call.getResult()});
    };
    // Device allocations are 256-byte aligned, more than any memref asks.
    define("_mlir_memref_to_llvm_alloc", ptr, {i64}, ::tern::kGpuAllocSymbol, 0);
    define("_mlir_memref_to_llvm_aligned_alloc", ptr, {i64, i64},
           ::tern::kGpuAllocSymbol, 1);
    define("_mlir_memref_to_llvm_free", voidType, {ptr},
           ::tern::kGpuFreeSymbol, 0);
  }
};

} // namespace
