//===- OutlineWeights.cpp - Gather constants into one weights blob --------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// tern-outline-weights: turns every constant memref.global read by a public
// function into a view of one weights blob that the runtime passes in as the
// first argument. This gives the artifact a single, checksummed weights
// region that can live in the shared library's read-only data or in a sidecar
// file the runtime memory-maps, without changing the generated code.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/IR/TernConstants.h"
#include "tern/Dialect/Tern/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace mlir::tern {
#define GEN_PASS_DEF_OUTLINEWEIGHTSPASS
#include "tern/Dialect/Tern/Transforms/Passes.h.inc"
} // namespace mlir::tern

using namespace mlir;
using namespace mlir::tern;

namespace {

constexpr int64_t kWeightAlignment = 64;

struct OutlineWeightsPass
    : public mlir::tern::impl::OutlineWeightsPassBase<OutlineWeightsPass> {
  void runOnOperation() override;
};

void OutlineWeightsPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  SymbolTable symbols(module);

  // Offsets of the globals placed in the blob, in order of first use.
  llvm::MapVector<memref::GlobalOp, int64_t> offsets;
  SmallVector<char> blob;
  bool anyFailed = false;
  auto place = [&](memref::GlobalOp global) -> std::optional<int64_t> {
    if (auto it = offsets.find(global); it != offsets.end())
      return it->second;
    std::optional<SmallVector<char>> bytes =
        global.getInitialValue() ? readConstantBytes(*global.getInitialValue())
                                 : std::nullopt;
    if (!bytes) {
      global.emitError() << "constant '" << global.getSymName()
                         << "' has no readable initial value";
      return std::nullopt;
    }
    int64_t offset = llvm::alignTo(blob.size(), kWeightAlignment);
    blob.resize(offset, 0);
    blob.append(bytes->begin(), bytes->end());
    offsets[global] = offset;
    return offset;
  };

  auto blobType = MemRefType::get({ShapedType::kDynamic},
                                  IntegerType::get(ctx, 8));
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    if (failed(func.insertArgument(0, blobType, {}, func.getLoc()))) {
      func.emitError() << "cannot add the weights argument";
      return signalPassFailure();
    }
    func->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
    Value weights = func.getArgument(0);
    SmallVector<memref::GetGlobalOp> reads;
    func.walk([&](memref::GetGlobalOp op) { reads.push_back(op); });
    for (memref::GetGlobalOp read : reads) {
      auto global = symbols.lookup<memref::GlobalOp>(read.getName());
      if (!global || !global.getConstant())
        continue;
      std::optional<int64_t> offset = place(global);
      if (!offset) {
        anyFailed = true;
        continue;
      }
      OpBuilder b(read);
      Value byteShift = arith::ConstantIndexOp::create(b, read.getLoc(), *offset);
      Value view = memref::ViewOp::create(b, read.getLoc(), read.getType(),
                                          weights, byteShift, ValueRange{});
      read.replaceAllUsesWith(view);
      read.erase();
    }
  }
  if (anyFailed)
    return signalPassFailure();
  for (auto &[global, offset] : offsets)
    if (SymbolTable::symbolKnownUseEmpty(global, module))
      global.erase();

  auto tensorType = RankedTensorType::get({int64_t(blob.size())},
                                          IntegerType::get(ctx, 8));
  module->setAttr("tern.weights",
                  makeConstant(tensorType, blob, /*asResource=*/true));
}

} // namespace
