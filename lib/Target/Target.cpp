//===- Target.cpp - The backend registry ----------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Target/Target.h"
#include "tern/Target/Plugin.h"

#include "llvm/ADT/StringExtras.h"

#include <dlfcn.h>
#include <map>

using namespace mlir;
using namespace mlir::tern;

namespace {
std::map<std::string, TargetFactory> &registry() {
  static std::map<std::string, TargetFactory> targets;
  return targets;
}
} // namespace

void CpuBackend::buildTransformPipeline(OpPassManager &pm) const {
  buildTernTransformPipeline(pm, pipeline);
}

void CpuBackend::buildLoweringPipeline(OpPassManager &pm) const {
  buildTernCpuLoweringPipeline(pm, pipeline);
}

bool CpuBackend::configureMachine(CpuTargetOptions cpu,
                                  const TargetOptions &options,
                                  std::string &error) {
  cpu.cpu = options.cpu;
  cpu.mattr = options.mattr;
  cpu.optLevel = options.optLevel;
  machine = createCpuTarget(cpu, error);
  if (!machine)
    return false;
  pipeline.isa = stringifyDotIsa(machine->isa).str();
  pipeline.layout = options.layout;
  pipeline.binaryKernel = options.binaryKernel;
  layout = preferredLayout(machine->isa);
  if (options.layout.empty())
    return true;
  std::optional<::tern::Layout> parsed =
      ::tern::Layout::parse(options.layout, &error);
  if (!parsed) {
    error = "--layout: " + error;
    return false;
  }
  layout = *parsed;
  return true;
}

bool CpuBackend::finishArtifact(ModuleOp, ::tern::ArtifactMetadata &metadata,
                                std::vector<DataSymbol> &, std::string &) {
  metadata.triple = machine->triple;
  metadata.cpu = machine->cpu;
  metadata.features = machine->requiredFeatures;
  return true;
}

std::vector<KernelStrategy>
CpuBackend::cpuKernelStrategies(llvm::ArrayRef<DotIsa> isas) {
  std::vector<KernelStrategy> strategies;
  bool lut = false;
  for (DotIsa isa : isas) {
    std::string kernel = describeDotIsa(isa).str();
    strategies.push_back({"tern.matmul, ternary", preferredLayout(isa).spec(),
                          kernel + ", codes unpacked in registers"});
    strategies.push_back({"tern.matmul, binary",
                          preferredBinaryLayout(isa).spec(),
                          kernel + ", sign bits unpacked in registers"});
    lut |= isa != DotIsa::Portable;
  }
  if (lut)
    strategies.push_back(
        {"tern.matmul, ternary", "lut:4:rows=16",
         std::string("lookup tables of activation pairs (") +
             (isAArch64(isas.front()) ? "tbl" : "vpshufb") + "), int16 sums"});
  strategies.push_back({"tern.matmul, any", "other i2, i1, b3, lut layouts",
                        "decoded to codes per weight tile, same dot product"});
  strategies.push_back({"tern.bitlinear, group scales", "as tern.matmul",
                        "per-group i32 sums scaled and summed in f32"});
  return strategies;
}

void mlir::tern::registerTarget(llvm::StringRef name, TargetFactory factory) {
  registry()[name.str()] = factory;
}

std::unique_ptr<Target> mlir::tern::createTarget(llvm::StringRef name,
                                                 std::string &error) {
  auto it = registry().find(name.str());
  if (it != registry().end())
    return it->second();
  std::vector<std::string> known;
  for (const auto &entry : registry())
    known.push_back(entry.first);
  error = "unknown --target '" + name.str() + "'; this build knows: " +
          llvm::join(known, ", ");
  return nullptr;
}

void mlir::tern::printTargets(llvm::raw_ostream &os) {
  for (const auto &entry : registry()) {
    std::unique_ptr<Target> target = entry.second();
    os << entry.first << ": " << target->description() << "\n";
    for (const auto &[flag, meaning] : target->options())
      os << "  " << flag << "  " << meaning << "\n";
    for (const KernelStrategy &strategy : target->kernelStrategies())
      os << "  kernel: " << strategy.op << " [" << strategy.layouts
         << "]: " << strategy.kernel << "\n";
  }
}

bool mlir::tern::loadBackendPlugin(const std::string &path,
                                   std::string &error) {
  // Local: the plugin's own symbols stay its own; it finds Tern's in ternc.
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *why = dlerror();
    error = "cannot load backend plugin '" + path + "': " +
            (why ? why : "unknown error");
    return false;
  }
  auto version = reinterpret_cast<int (*)()>(
      dlsym(library, TERN_BACKEND_PLUGIN_VERSION_SYMBOL));
  auto registerBackends = reinterpret_cast<void (*)()>(
      dlsym(library, TERN_BACKEND_PLUGIN_REGISTER_SYMBOL));
  if (!version || !registerBackends) {
    error = "'" + path + "' is not a Tern backend plugin: it exports no " +
            (version ? TERN_BACKEND_PLUGIN_REGISTER_SYMBOL
                     : TERN_BACKEND_PLUGIN_VERSION_SYMBOL) +
            "()";
    dlclose(library);
    return false;
  }
  if (int abi = version(); abi != TERN_BACKEND_PLUGIN_ABI) {
    error = "backend plugin '" + path + "' was built for plugin ABI " +
            std::to_string(abi) + "; this ternc loads ABI " +
            std::to_string(TERN_BACKEND_PLUGIN_ABI) +
            " (rebuild it against this release's headers)";
    dlclose(library);
    return false;
  }
  // Registered backends keep pointers into the library: it stays loaded.
  registerBackends();
  return true;
}
