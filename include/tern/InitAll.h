//===- InitAll.h - Register every dialect and pass Tern uses ----*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// One place that says which dialects, extensions and passes the Tern tools
// know: the tern dialect and passes plus everything upstream MLIR registers,
// so tern-opt can replay any pipeline ternc runs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_INITALL_H
#define TERN_INITALL_H

namespace mlir {
class DialectRegistry;
namespace tern {

/// The tern dialect, every upstream dialect and their extensions.
void registerAllDialects(DialectRegistry &registry);

/// Every tern pass and every upstream pass.
void registerAllPasses();

} // namespace tern
} // namespace mlir

#endif // TERN_INITALL_H
