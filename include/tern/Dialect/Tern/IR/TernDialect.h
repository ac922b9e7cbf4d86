//===- TernDialect.h - The tern dialect -------------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_DIALECT_TERN_IR_TERNDIALECT_H
#define TERN_DIALECT_TERN_IR_TERNDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "tern/Dialect/Tern/IR/TernDialect.h.inc"

#endif // TERN_DIALECT_TERN_IR_TERNDIALECT_H
