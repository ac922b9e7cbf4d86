//===- LowerStridedCopies.cpp - Strided memref.copy to linalg.copy --------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// tern-lower-strided-copies: keeps artifacts free of MLIR's runtime library.
// A memref.copy whose operands are both contiguous (identity layout) lowers to
// memcpy; any other would call memrefCopy, so it becomes a linalg.copy that
// convert-linalg-to-loops expands.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace mlir::tern {
#define GEN_PASS_DEF_LOWERSTRIDEDCOPIESPASS
#include "tern/Dialect/Tern/Transforms/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;

namespace {

bool isContiguous(Value buffer) {
  auto type = dyn_cast<MemRefType>(buffer.getType());
  return type && type.getLayout().isIdentity();
}

struct LowerStridedCopiesPass
    : public mlir::tern::impl::LowerStridedCopiesPassBase<
          LowerStridedCopiesPass> {
  using LowerStridedCopiesPassBase::LowerStridedCopiesPassBase;
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp copy) {
      if (all || !isContiguous(copy.getSource()) ||
          !isContiguous(copy.getTarget()))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
  }
};

} // namespace
