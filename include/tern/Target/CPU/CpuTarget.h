//===- CpuTarget.h - CPU targets: LLVM target machines and artifacts -*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// The CPU backend's serialization half: chooses an LLVM TargetMachine for
// --target/--mcpu/--mattr, derives the kernel instruction set and the CPU
// features an artifact needs, translates LLVM-dialect IR to LLVM IR with the
// artifact's symbols (header, weights, packed entry wrappers), optimizes, and
// emits assembly or an object file in-process. Only the final link into a
// shared library runs an external program (ld.lld).
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TARGET_CPU_CPUTARGET_H
#define TERN_TARGET_CPU_CPUTARGET_H

#include "tern/Conversion/TernToKernels/MatmulKernel.h"
#include "tern/Support/Artifact.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::tern {

struct CpuTargetOptions {
  std::string target = "x86_64"; ///< architecture: x86_64 or aarch64
  std::string cpu = "host";      ///< "host" or an LLVM CPU name
  std::string mattr;             ///< LLVM feature list: "+avx2,-avx512f"
  unsigned optLevel = 3;
};

struct CpuTarget {
  std::string triple, cpu, features;
  DotIsa isa = DotIsa::Portable;
  /// The CPU features the generated code may use, for the artifact header.
  std::vector<std::string> requiredFeatures;
  unsigned optLevel = 3;
  std::unique_ptr<llvm::TargetMachine> machine;
};

/// Creates the target; on failure returns null and sets `error`.
std::unique_ptr<CpuTarget> createCpuTarget(const CpuTargetOptions &options,
                                           std::string &error);

/// Translates an LLVM-dialect module to LLVM IR for `target`, adds a packed
/// entry wrapper per function in `entries`, the artifact header and (when
/// given) the embedded weights, then runs the optimization pipeline.
/// Further read-only data an artifact carries: a symbol name and the bytes,
/// stored after an 8-byte little-endian length.
struct DataSymbol {
  std::string name;
  std::string bytes;
};

std::unique_ptr<llvm::Module>
translateToLLVMIR(ModuleOp module, CpuTarget &target,
                  const ::tern::ArtifactMetadata &metadata,
                  llvm::ArrayRef<char> embeddedWeights,
                  llvm::ArrayRef<DataSymbol> dataSymbols,
                  llvm::LLVMContext &context, std::string &error);

/// Emits assembly or an object file for `module`.
bool emitMachineCode(llvm::Module &module, CpuTarget &target, bool assembly,
                     llvm::raw_pwrite_stream &os, std::string &error);

/// Links an object file into a shared library with ld.lld.
bool linkSharedLibrary(llvm::StringRef objectPath, llvm::StringRef outputPath,
                       std::string &error);

/// emitMachineCode into a temporary object, then linkSharedLibrary.
bool buildSharedLibrary(llvm::Module &module, CpuTarget &target,
                        llvm::StringRef outputPath, std::string &error);

} // namespace mlir::tern

#endif // TERN_TARGET_CPU_CPUTARGET_H
