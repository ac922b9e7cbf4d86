//===- Builtin.cpp - The backends built into Tern -------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Target/Target.h"

namespace mlir::tern {
void registerX86Target();
void registerAArch64Target();
void registerCudaTarget();

void registerBuiltinTargets() {
  registerX86Target();
  registerAArch64Target();
  registerCudaTarget();
}
} // namespace mlir::tern
