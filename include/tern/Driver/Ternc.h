//===- Ternc.h - The ternc compiler driver ----------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DRIVER_TERNC_H
#define TERN_DRIVER_TERNC_H

namespace mlir::tern {

/// ternc's main: parses the command line, compiles, returns the exit code.
int terncMain(int argc, char **argv);

} // namespace mlir::tern

#endif // TERN_DRIVER_TERNC_H
