//===- Target.h - The backend interface and registry ------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// A backend is one class behind this interface and one registration:
// ternc asks it for the weight layouts its kernels read, the pipelines that
// lower tern IR for it, and what the artifact carries besides host code;
// ternc itself knows no backend by name. Every artifact is a host shared
// library (the backend's host code generator, `host()`), possibly with
// device code in it (CUDA's PTX).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TARGET_TARGET_H
#define TERN_TARGET_TARGET_H

#include "tern/Pipelines/Pipelines.h"
#include "tern/Support/Artifact.h"
#include "tern/Support/Packing.h"
#include "tern/Target/CPU/CpuTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mlir::tern {

/// The command line's target options; each backend reads the ones it
/// lists and rejects values it cannot use.
struct TargetOptions {
  std::string cpu = "host"; ///< --mcpu
  std::string mattr;        ///< --mattr
  std::string gpuArch;      ///< --gpu-arch ("" = the backend's default)
  std::string layout;       ///< --layout ("" = the backend's choice)
  std::string binaryKernel = "dot";
  unsigned optLevel = 3;
};

/// One way a backend computes a low-bit op, for `--list-targets`.
struct KernelStrategy {
  std::string op;      ///< e.g. "tern.matmul, ternary weights"
  std::string layouts; ///< the packing layouts it reads
  std::string kernel;  ///< the microkernel: its instructions and tiling
};

class Target {
public:
  virtual ~Target() = default;

  /// `--target=` name, and one line for `--list-targets`.
  virtual llvm::StringRef name() const = 0;
  virtual llvm::StringRef description() const = 0;
  /// The options it reads: {flag, what it means}, for `--list-targets`.
  virtual std::vector<std::pair<std::string, std::string>> options() const = 0;

  /// The kernel strategies it offers for each low-bit op.
  virtual std::vector<KernelStrategy> kernelStrategies() const = 0;
  /// Dialects its pipelines create beyond Tern's (a plugin's own): added to
  /// the registry before the model is read.
  virtual void registerDialects(DialectRegistry &registry) const {}

  /// Reads `options`; false with `error` on a bad value.
  virtual bool configure(const TargetOptions &options, std::string &error) = 0;

  /// The code generator of the artifact's host code (an LLVM target
  /// machine); valid after configure().
  virtual CpuTarget &host() = 0;

  /// The layouts its kernels read: importers pack weights with them.
  virtual ::tern::Layout ternaryLayout() const = 0;
  virtual ::tern::Layout binaryLayout() const = 0;
  /// Whether --layout and --autotune may choose layouts (CPU kernels read
  /// many; a GPU's read one).
  virtual bool layoutsChoosable() const { return false; }
  /// Whether --autotune can time its kernels on this machine.
  virtual bool autotunable() const { return layoutsChoosable(); }

  /// Folds and packs weights (what --emit=tern shows), then lowers packed
  /// tern IR to host code in the LLVM dialect.
  virtual void buildTransformPipeline(OpPassManager &pm) const = 0;
  virtual void buildLoweringPipeline(OpPassManager &pm) const = 0;
  /// The lowering pipeline's name in tern-opt (and in --mlir-timing).
  virtual llvm::StringRef loweringPipelineName() const = 0;

  /// After lowering: the artifact header's target records, and data the
  /// artifact carries besides host code (device code, its kernels' names).
  virtual bool finishArtifact(ModuleOp module,
                              ::tern::ArtifactMetadata &metadata,
                              std::vector<DataSymbol> &data,
                              std::string &error) = 0;
  /// Whether the artifact carries device code (--emit=ptx), and the code
  /// after finishArtifact (PTX for CUDA).
  virtual bool hasDeviceCode() const { return false; }
  virtual std::string deviceCode() const { return {}; }
};

/// A backend whose kernels are Tern's CPU microkernels (x86-64, or a new
/// CPU architecture starting from the portable ones): its configure() sets
/// `machine` and `pipeline`; this class does the rest.
class CpuBackend : public Target {
public:
  /// The strategies of Tern's CPU kernels for the instruction sets `isas`
  /// (each with its preferred layouts), and the layouts every one decodes.
  static std::vector<KernelStrategy>
  cpuKernelStrategies(llvm::ArrayRef<DotIsa> isas);

  CpuTarget &host() override { return *machine; }
  void buildTransformPipeline(OpPassManager &pm) const override;
  void buildLoweringPipeline(OpPassManager &pm) const override;
  llvm::StringRef loweringPipelineName() const override {
    return "tern-cpu-lowering-pipeline";
  }
  /// Records the machine's triple, CPU and the features its code needs.
  bool finishArtifact(ModuleOp module, ::tern::ArtifactMetadata &metadata,
                      std::vector<DataSymbol> &data,
                      std::string &error) override;

protected:
  /// For kernels that read any layout: fills `cpu` from `options` (--mcpu,
  /// --mattr, -O), creates `machine`, sets `pipeline` for its instruction
  /// set and `layout` to --layout or the kernels' preferred one.
  bool configureMachine(CpuTargetOptions cpu, const TargetOptions &options,
                        std::string &error);

  std::unique_ptr<CpuTarget> machine;
  CpuPipelineOptions pipeline;
  ::tern::Layout layout;
};

using TargetFactory = std::unique_ptr<Target> (*)();

/// Registers a backend under `name` (a later registration of the same name
/// replaces it).
void registerTarget(llvm::StringRef name, TargetFactory factory);
/// The built-in backends: x86_64, aarch64 and cuda.
void registerBuiltinTargets();
/// A new, unconfigured backend; null with `error` naming the known ones.
std::unique_ptr<Target> createTarget(llvm::StringRef name, std::string &error);
/// `--list-targets`: every backend with its options.
void printTargets(llvm::raw_ostream &os);

} // namespace mlir::tern

#endif // TERN_TARGET_TARGET_H
