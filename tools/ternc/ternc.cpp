//===- ternc.cpp - The Tern compiler driver -------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Driver/Ternc.h"

int main(int argc, char **argv) { return mlir::tern::terncMain(argc, argv); }
