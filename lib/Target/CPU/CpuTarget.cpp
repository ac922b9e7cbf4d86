//===- CpuTarget.cpp - CPU targets: LLVM target machines and artifacts ----===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Target/CPU/CpuTarget.h"
#include "tern/Support/CpuFeatures.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::tern;

std::unique_ptr<CpuTarget>
mlir::tern::createCpuTarget(const CpuTargetOptions &options,
                            std::string &error) {
  const bool aarch64 = options.target == "aarch64";
  if (options.target != "x86_64" && !aarch64) {
    error = "unknown CPU architecture '" + options.target +
            "'; expected x86_64 or aarch64";
    return nullptr;
  }
  if (options.optLevel > 3) {
    error = "optimization level must be 0 to 3";
    return nullptr;
  }
  if (aarch64) {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
  } else {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
  }

  auto target = std::make_unique<CpuTarget>();
  target->triple =
      aarch64 ? "aarch64-unknown-linux-gnu" : "x86_64-unknown-linux-gnu";
  target->optLevel = options.optLevel;
  llvm::SmallVector<std::string> features;
  // "host" is this machine only when it is of the target's architecture.
  const bool native =
      llvm::Triple(llvm::sys::getProcessTriple()).isAArch64() == aarch64;
  if (options.cpu == "host" && !native) {
    target->cpu = "generic";
  } else if (options.cpu == "host") {
    target->cpu = llvm::sys::getHostCPUName().str();
    for (const auto &entry : llvm::sys::getHostCPUFeatures())
      features.push_back((entry.second ? "+" : "-") + entry.getKey().str());
  } else {
    target->cpu = options.cpu;
  }
  llvm::SmallVector<llvm::StringRef> extra;
  llvm::StringRef(options.mattr).split(extra, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef f : extra) {
    f = f.trim();
    if (!f.starts_with("+") && !f.starts_with("-")) {
      error = "--mattr entries must start with + or -, got '" + f.str() + "'";
      return nullptr;
    }
    features.push_back(f.str());
  }
  target->features = llvm::join(features, ",");

  std::string lookupError;
  llvm::Triple triple(target->triple);
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, lookupError);
  if (!llvmTarget) {
    error = lookupError;
    return nullptr;
  }
  // Check the CPU name first: LLVM itself would print a warning per use.
  std::unique_ptr<llvm::MCSubtargetInfo> probe(
      llvmTarget->createMCSubtargetInfo(triple, "", ""));
  if (!probe || !probe->isCPUStringValid(target->cpu)) {
    error = "unknown --mcpu '" + target->cpu + "' for " + options.target;
    return nullptr;
  }
  llvm::TargetOptions targetOptions;
  llvm::CodeGenOptLevel level = options.optLevel == 0 ? llvm::CodeGenOptLevel::None
                                : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
                                                        : llvm::CodeGenOptLevel::Aggressive;
  target->machine.reset(llvmTarget->createTargetMachine(
      triple, target->cpu, target->features, targetOptions, llvm::Reloc::PIC_,
      std::nullopt, level));
  if (!target->machine) {
    error = "cannot create a target machine for " + target->triple;
    return nullptr;
  }
  const llvm::MCSubtargetInfo *subtarget =
      target->machine->getMCSubtargetInfo();
  if (!subtarget->isCPUStringValid(target->cpu)) {
    error = "unknown --mcpu '" + target->cpu + "' for " + options.target;
    return nullptr;
  }
  auto has = [&](llvm::StringRef f) {
    return subtarget->checkFeatures(("+" + f).str());
  };
  for (const std::string &f : ::tern::knownCpuFeatures(aarch64))
    if (has(f))
      target->requiredFeatures.push_back(f);
  if (aarch64) {
    if (has("i8mm") && has("dotprod"))
      target->isa = DotIsa::NeonI8mm;
    else if (has("dotprod"))
      target->isa = DotIsa::NeonDot;
    else
      target->isa = DotIsa::Neon;
    return target;
  }
  if (has("avx512vnni") && has("avx512bw"))
    target->isa = DotIsa::Avx512Vnni;
  else if (has("avx2"))
    target->isa = DotIsa::Avx2;
  else
    target->isa = DotIsa::Portable;
  return target;
}

/// void __tern_entry_<name>(ptr args): calls _mlir_ciface_<name> with the
/// pointers in args[0 ..], so the runtime needs one calling convention.
static bool addEntryWrapper(llvm::Module &module, llvm::StringRef name,
                            std::string &error) {
  llvm::Function *ciface = module.getFunction(("_mlir_ciface_" + name).str());
  if (!ciface || ciface->isDeclaration()) {
    error = "entry point '" + name.str() + "' has no C interface";
    return false;
  }
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptrTy = llvm::PointerType::get(ctx, 0);
  for (llvm::Type *param : ciface->getFunctionType()->params())
    if (!param->isPointerTy()) {
      error = "entry point '" + name.str() +
              "' takes a non-tensor argument, which the runtime cannot pass";
      return false;
    }
  auto *type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptrTy}, false);
  auto *wrapper = llvm::Function::Create(
      type, llvm::GlobalValue::ExternalLinkage,
      (::tern::kEntryPrefix + name).str(), module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  llvm::SmallVector<llvm::Value *> args;
  for (unsigned i = 0; i < ciface->arg_size(); ++i) {
    llvm::Value *slot =
        b.CreateConstGEP1_64(ptrTy, wrapper->getArg(0), i);
    args.push_back(b.CreateLoad(ptrTy, slot));
  }
  b.CreateCall(ciface, args);
  b.CreateRetVoid();
  return true;
}

std::unique_ptr<llvm::Module>
mlir::tern::translateToLLVMIR(ModuleOp module, CpuTarget &target,
                              const ::tern::ArtifactMetadata &metadata,
                              llvm::ArrayRef<char> embeddedWeights,
                              llvm::ArrayRef<DataSymbol> dataSymbols,
                              llvm::LLVMContext &context, std::string &error) {
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, "tern");
  if (!llvmModule) {
    error = "translation to LLVM IR failed";
    return nullptr;
  }
  llvm::TargetMachine &tm = *target.machine;
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple());
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", target.cpu);
    f.addFnAttr("target-features", target.features);
  }

  for (const ::tern::FunctionSignature &f : metadata.functions)
    if (!addEntryWrapper(*llvmModule, f.name, error))
      return nullptr;

  auto *i8 = llvm::Type::getInt8Ty(context);
  std::string header = metadata.serialize();
  auto *headerInit = llvm::ConstantDataArray::getString(context, header, true);
  auto *headerVar = new llvm::GlobalVariable(
      *llvmModule, headerInit->getType(), /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage, headerInit, ::tern::kMetadataSymbol);
  headerVar->setAlignment(llvm::Align(8));
  if (!metadata.weightsExternal) {
    auto *weightsInit = llvm::ConstantDataArray::getRaw(
        llvm::StringRef(embeddedWeights.data(), embeddedWeights.size()),
        embeddedWeights.size(), i8);
    auto *weightsVar = new llvm::GlobalVariable(
        *llvmModule, weightsInit->getType(), /*isConstant=*/true,
        llvm::GlobalValue::ExternalLinkage, weightsInit,
        ::tern::kWeightsSymbol);
    weightsVar->setAlignment(llvm::Align(64));
  }

  for (const DataSymbol &symbol : dataSymbols) {
    std::string bytes(8, '\0');
    uint64_t size = symbol.bytes.size();
    for (int i = 0; i < 8; ++i)
      bytes[i] = char((size >> (8 * i)) & 0xff);
    bytes += symbol.bytes;
    auto *init = llvm::ConstantDataArray::getRaw(bytes, bytes.size(), i8);
    auto *var = new llvm::GlobalVariable(*llvmModule, init->getType(),
                                         /*isConstant=*/true,
                                         llvm::GlobalValue::ExternalLinkage,
                                         init, symbol.name);
    var->setAlignment(llvm::Align(8));
  }
  if (llvm::verifyModule(*llvmModule, &llvm::errs())) {
    error = "the generated LLVM IR is invalid";
    return nullptr;
  }
  if (target.optLevel > 0) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder pb(&tm);
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    llvm::OptimizationLevel level = target.optLevel == 1   ? llvm::OptimizationLevel::O1
                                    : target.optLevel == 2 ? llvm::OptimizationLevel::O2
                                                           : llvm::OptimizationLevel::O3;
    llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(level);
    mpm.run(*llvmModule, mam);
  }
  return llvmModule;
}

bool mlir::tern::emitMachineCode(llvm::Module &module, CpuTarget &target,
                                 bool assembly, llvm::raw_pwrite_stream &os,
                                 std::string &error) {
  llvm::legacy::PassManager pm;
  if (target.machine->addPassesToEmitFile(
          pm, os, nullptr,
          assembly ? llvm::CodeGenFileType::AssemblyFile
                   : llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit this file type";
    return false;
  }
  pm.run(module);
  return true;
}

bool mlir::tern::linkSharedLibrary(llvm::StringRef objectPath,
                                   llvm::StringRef outputPath,
                                   std::string &error) {
  llvm::ErrorOr<std::string> linker = llvm::sys::findProgramByName("ld.lld-22");
  if (!linker)
    linker = llvm::sys::findProgramByName("ld.lld", {"/usr/lib/llvm-22/bin"});
  if (!linker)
    linker = llvm::sys::findProgramByName("ld.lld");
  if (!linker) {
    error = "cannot find ld.lld to link the shared library (install lld-22)";
    return false;
  }
  llvm::SmallVector<llvm::StringRef> args = {
      *linker, "-shared", "-z", "noexecstack", "-z", "now", "--gc-sections",
      "-o", outputPath, objectPath};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    error = "linking " + outputPath.str() + " failed" +
            (message.empty() ? "" : ": " + message);
    return false;
  }
  return true;
}

bool mlir::tern::buildSharedLibrary(llvm::Module &module, CpuTarget &target,
                                    llvm::StringRef outputPath,
                                    std::string &error) {
  llvm::SmallString<128> objectPath;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("ternc", "o", fd, objectPath)) {
    error = "cannot create a temporary file: " + ec.message();
    return false;
  }
  llvm::FileRemover removeObject(objectPath);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    if (!emitMachineCode(module, target, /*assembly=*/false, os, error))
      return false;
  }
  return linkSharedLibrary(objectPath, outputPath, error);
}
