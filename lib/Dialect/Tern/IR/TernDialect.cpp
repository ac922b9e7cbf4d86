//===- TernDialect.cpp - The tern dialect ---------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/IR/TernDialect.h"
#include "tern/Dialect/Tern/IR/TernOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::tern;

#include "tern/Dialect/Tern/IR/TernDialect.cpp.inc"

void TernDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tern/Dialect/Tern/IR/TernOps.cpp.inc"
      >();
  registerAttributes();
}

Operation *TernDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || !arith::ConstantOp::isBuildableWith(value, type))
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}
