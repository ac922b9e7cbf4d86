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
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

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

/// Bytes of a constant global's initial value: a view when possible, else a
/// copy kept in `storage`.
static std::optional<ArrayRef<char>> globalBytes(memref::GlobalOp global,
                                                 SmallVector<char> &storage) {
  if (!global.getInitialValue())
    return std::nullopt;
  Attribute value = *global.getInitialValue();
  if (std::optional<ArrayRef<char>> view = viewConstantBytes(value))
    return view;
  std::optional<SmallVector<char>> copy = readConstantBytes(value);
  if (!copy)
    return std::nullopt;
  storage = std::move(*copy);
  return ArrayRef<char>(storage);
}

void OutlineWeightsPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  SymbolTable symbols(module);

  // Every constant global read by an entry point, in order of first use,
  // with its offset in the blob. The blob is sized first and filled once:
  // weights can be gigabytes.
  llvm::MapVector<memref::GlobalOp, int64_t> offsets;
  int64_t size = 0;
  bool anyFailed = false;
  auto entries = llvm::to_vector(llvm::make_filter_range(
      module.getOps<func::FuncOp>(),
      [](func::FuncOp f) { return !f.isPrivate() && !f.isExternal(); }));
  for (func::FuncOp func : entries)
    func.walk([&](memref::GetGlobalOp read) {
      auto global = symbols.lookup<memref::GlobalOp>(read.getName());
      if (!global || !global.getConstant() || offsets.count(global))
        return;
      auto type = global.getType();
      int64_t bytes = type.getNumElements() *
                      int64_t(llvm::divideCeil(type.getElementTypeBitWidth(), 8));
      size = int64_t(llvm::alignTo(size, kWeightAlignment));
      offsets[global] = size;
      size += bytes;
    });
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocate(size_t(size),
                                    kWeightAlignment, /*dataIsMutable=*/true);
  MutableArrayRef<char> data = blob.getMutableData();
  std::fill(data.begin(), data.end(), 0);
  for (auto &[global, offset] : offsets) {
    SmallVector<char> storage;
    std::optional<ArrayRef<char>> bytes = globalBytes(global, storage);
    if (!bytes) {
      global.emitError() << "constant '" << global.getSymName()
                         << "' has no readable initial value";
      anyFailed = true;
      continue;
    }
    std::copy(bytes->begin(), bytes->end(), data.begin() + offset);
  }
  if (anyFailed)
    return signalPassFailure();

  auto blobType = MemRefType::get({ShapedType::kDynamic},
                                  IntegerType::get(ctx, 8));
  for (func::FuncOp func : entries) {
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
      auto it = global ? offsets.find(global) : offsets.end();
      if (it == offsets.end())
        continue;
      OpBuilder b(read);
      Value byteShift =
          arith::ConstantIndexOp::create(b, read.getLoc(), it->second);
      Value view = memref::ViewOp::create(b, read.getLoc(), read.getType(),
                                          weights, byteShift, ValueRange{});
      read.replaceAllUsesWith(view);
      read.erase();
    }
  }
  // Drop the globals no longer read (one walk, not one per global).
  llvm::DenseSet<StringAttr> stillRead;
  module.walk([&](memref::GetGlobalOp read) {
    stillRead.insert(read.getNameAttr().getAttr());
  });
  for (auto &[global, offset] : offsets)
    if (!stillRead.contains(global.getSymNameAttr()))
      global.erase();

  auto tensorType = RankedTensorType::get({size}, IntegerType::get(ctx, 8));
  module->setAttr("tern.weights", DenseResourceElementsAttr::get(
                                      tensorType, "tern_weights", std::move(blob)));
}

} // namespace
