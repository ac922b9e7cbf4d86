//===- TernConstants.cpp - Reading and making weight constants ------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/IR/TernConstants.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

#include <cstring>

using namespace mlir;

static std::optional<size_t> elementBytes(Type type) {
  if (type.isInteger(1)) // one byte per flag in memory, as LLVM stores i1
    return 1;
  if (type.isIntOrFloat() && type.getIntOrFloatBitWidth() % 8 == 0)
    return type.getIntOrFloatBitWidth() / 8;
  return std::nullopt;
}

std::optional<llvm::SmallVector<char>> tern::readConstantBytes(Attribute attr) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (!elements || !elements.getShapedType().hasStaticShape())
    return std::nullopt;
  ShapedType type = elements.getShapedType();
  std::optional<size_t> width = elementBytes(type.getElementType());
  if (!width)
    return std::nullopt;
  size_t total = size_t(type.getNumElements()) * *width;

  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr);
      dense && type.getElementType().isInteger(1)) {
    // Flags are bit-packed in the attribute: one byte each in memory.
    llvm::SmallVector<char> bytes;
    for (bool flag : dense.getValues<bool>())
      bytes.push_back(flag ? 1 : 0);
    return bytes;
  }
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr)) {
    ArrayRef<char> raw = dense.getRawData();
    llvm::SmallVector<char> bytes(total);
    if (dense.isSplat()) {
      for (size_t offset = 0; offset < total; offset += *width)
        std::memcpy(bytes.data() + offset, raw.data(), *width);
    } else {
      if (raw.size() != total)
        return std::nullopt;
      std::memcpy(bytes.data(), raw.data(), total);
    }
    return bytes;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != total)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    return llvm::SmallVector<char>(data.begin(), data.end());
  }
  return std::nullopt;
}

std::optional<llvm::ArrayRef<char>> tern::viewConstantBytes(Attribute attr) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (!elements || !elements.getShapedType().hasStaticShape())
    return std::nullopt;
  std::optional<size_t> width =
      elementBytes(elements.getShapedType().getElementType());
  if (!width)
    return std::nullopt;
  size_t total = size_t(elements.getShapedType().getNumElements()) * *width;
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr)) {
    if (dense.isSplat() || dense.getRawData().size() != total)
      return std::nullopt;
    return dense.getRawData();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != total)
      return std::nullopt;
    return blob->getData();
  }
  return std::nullopt;
}

std::optional<llvm::SmallVector<float>>
tern::readFloatConstant(Attribute attr) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  Type elementType = elements.getShapedType().getElementType();
  std::optional<llvm::SmallVector<char>> bytes = readConstantBytes(attr);
  if (!bytes || !isa<FloatType>(elementType))
    return std::nullopt;
  llvm::SmallVector<float> values;
  if (elementType.isF32()) {
    values.resize(bytes->size() / 4);
    std::memcpy(values.data(), bytes->data(), bytes->size());
    return values;
  }
  if (!elementType.isF16() && !elementType.isBF16())
    return std::nullopt;
  const llvm::fltSemantics &semantics =
      cast<FloatType>(elementType).getFloatSemantics();
  values.reserve(bytes->size() / 2);
  for (size_t i = 0; i < bytes->size(); i += 2) {
    uint16_t bits;
    std::memcpy(&bits, bytes->data() + i, 2);
    llvm::APFloat value(semantics, llvm::APInt(16, bits));
    values.push_back(value.convertToFloat());
  }
  return values;
}

bool tern::isResourceConstant(Attribute attr) {
  return isa_and_nonnull<DenseResourceElementsAttr>(attr);
}

ElementsAttr tern::makeConstant(ShapedType type, ArrayRef<char> bytes,
                                bool asResource) {
  if (!asResource && bytes.size() <= kInlineConstantLimit)
    return DenseElementsAttr::getFromRawBuffer(type, bytes);
  size_t alignment = std::max<size_t>(
      1, llvm::divideCeil(type.getElementTypeBitWidth(), 8));
  return DenseResourceElementsAttr::get(
      type, "tern_weights",
      HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignment));
}
