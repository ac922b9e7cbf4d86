//===- TernAttrs.cpp - tern attributes ------------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// Parsers, printers and verifiers of #tern.kind, #tern.scale and
// #tern.layout. The printers omit parameters at their defaults so the common
// forms stay short: #tern.layout<i2, block = 256>, #tern.scale<per_tensor>.
//
//===----------------------------------------------------------------------===//
#include "tern/Dialect/Tern/IR/TernAttrs.h"
#include "tern/Dialect/Tern/IR/TernDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/AsmParser/AsmParser.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tern;

#include "tern/Dialect/Tern/IR/TernEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tern/Dialect/Tern/IR/TernAttrs.cpp.inc"

void TernDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tern/Dialect/Tern/IR/TernAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// KindAttr
//===----------------------------------------------------------------------===//

Attribute KindAttr::parse(AsmParser &parser, Type) {
  StringRef keyword;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<::tern::WeightKind> kind = ::tern::parseWeightKind(keyword);
  if (!kind) {
    parser.emitError(loc, "expected 'ternary' or 'binary', got '")
        << keyword << "'";
    return {};
  }
  if (parser.parseGreater())
    return {};
  return KindAttr::get(parser.getContext(), *kind);
}

void KindAttr::print(AsmPrinter &printer) const {
  printer << "<" << ::tern::toString(getKind()) << ">";
}

//===----------------------------------------------------------------------===//
// ScaleAttr
//===----------------------------------------------------------------------===//

Attribute ScaleAttr::parse(AsmParser &parser, Type) {
  StringRef keyword;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<ScaleGranularity> granularity =
      symbolizeScaleGranularity(keyword);
  if (!granularity) {
    parser.emitError(loc, "expected 'per_tensor', 'per_row' or 'group', got '")
        << keyword << "'";
    return {};
  }
  // `= N` is parsed for every granularity so the verifier can say that only
  // a group scale takes one.
  int64_t groupSize = 0;
  if (*granularity == ScaleGranularity::Group) {
    if (parser.parseEqual() || parser.parseInteger(groupSize))
      return {};
  } else if (succeeded(parser.parseOptionalEqual()) &&
             parser.parseInteger(groupSize)) {
    return {};
  }
  if (parser.parseGreater())
    return {};
  return ScaleAttr::getChecked([&] { return parser.emitError(loc); },
                               parser.getContext(), *granularity, groupSize);
}

void ScaleAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyScaleGranularity(getGranularity());
  if (getGranularity() == ScaleGranularity::Group)
    printer << " = " << getGroupSize();
  printer << ">";
}

LogicalResult ScaleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                ScaleGranularity granularity,
                                int64_t groupSize) {
  if (granularity == ScaleGranularity::Group && groupSize <= 0)
    return emitError() << "scale group size must be positive, got "
                       << groupSize;
  if (granularity != ScaleGranularity::Group && groupSize != 0)
    return emitError() << "only a group scale takes a group size";
  return success();
}

SmallVector<int64_t> ScaleAttr::getScaleShape(int64_t n, int64_t k) const {
  switch (getGranularity()) {
  case ScaleGranularity::PerTensor:
    return {};
  case ScaleGranularity::PerRow:
    return {n};
  case ScaleGranularity::Group:
    return {n, ShapedType::isDynamic(k) ? ShapedType::kDynamic
                                        : int64_t(llvm::divideCeil(k, getGroupSize()))};
  }
  return {};
}

//===----------------------------------------------------------------------===//
// LayoutAttr
//===----------------------------------------------------------------------===//

// `<` encoding (`,` `block` `=` integer)? (`,` (`lsb` | `msb`))?
//     (`,` `rows` `=` integer)? `>`, the optional items in any order
Attribute LayoutAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<::tern::Encoding> encoding = ::tern::parseEncoding(keyword);
  if (!encoding) {
    parser.emitError(loc, "expected a layout encoding (i8, i2, b3 or i1), got '")
        << keyword << "'";
    return {};
  }
  int64_t block = ::tern::Layout::minBlock(*encoding);
  ::tern::BitOrder order = ::tern::BitOrder::Lsb;
  int64_t rows = 1;
  bool seenBlock = false, seenOrder = false, seenRows = false;
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc itemLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&keyword))
      return {};
    if (keyword == "block" || keyword == "rows") {
      bool &seen = keyword == "block" ? seenBlock : seenRows;
      if (seen) {
        parser.emitError(itemLoc, "the layout's ") << keyword
                                                   << " is given twice";
        return {};
      }
      seen = true;
      if (parser.parseEqual() ||
          parser.parseInteger(keyword == "block" ? block : rows))
        return {};
      continue;
    }
    std::optional<::tern::BitOrder> parsed = ::tern::parseBitOrder(keyword);
    if (!parsed) {
      parser.emitError(itemLoc,
                       "expected 'block = N', 'lsb', 'msb' or 'rows = N', got '")
          << keyword << "'";
      return {};
    }
    if (seenOrder) {
      parser.emitError(itemLoc, "the layout's bit order is given twice");
      return {};
    }
    seenOrder = true;
    order = *parsed;
  }
  if (parser.parseGreater())
    return {};
  return LayoutAttr::getChecked([&] { return parser.emitError(loc); },
                                parser.getContext(), *encoding, block, order,
                                rows);
}

void LayoutAttr::print(AsmPrinter &printer) const {
  printer << "<" << ::tern::toString(getEncoding());
  if (getBlock() != ::tern::Layout::minBlock(getEncoding()))
    printer << ", block = " << getBlock();
  if (getOrder() != ::tern::BitOrder::Lsb)
    printer << ", " << ::tern::toString(getOrder());
  if (getRows() != 1)
    printer << ", rows = " << getRows();
  printer << ">";
}

LogicalResult LayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ::tern::Encoding encoding, int64_t block,
                                 ::tern::BitOrder order, int64_t rows) {
  std::string why;
  if (!::tern::Layout{encoding, block, order, rows}.verify(&why))
    return emitError() << why;
  return success();
}

int64_t LayoutAttr::getPackedRowBytes(int64_t k) const {
  if (ShapedType::isDynamic(k))
    return ShapedType::kDynamic;
  return getLayout().packedRowBytes(k);
}

LayoutAttr LayoutAttr::getUnpacked(MLIRContext *context) {
  return LayoutAttr::get(context, ::tern::Encoding::I8, 1,
                         ::tern::BitOrder::Lsb, 1);
}

LayoutAttr mlir::tern::parseLayoutSpec(MLIRContext *context, StringRef spec,
                                       std::string &error) {
  spec = spec.trim();
  if (spec.starts_with("#")) {
    Attribute attr = parseAttribute(spec, context);
    if (auto layout = dyn_cast_or_null<LayoutAttr>(attr))
      return layout;
    error = "'" + spec.str() + "' is not a #tern.layout attribute";
    return {};
  }
  std::optional<::tern::Layout> layout =
      ::tern::Layout::parse(std::string_view(spec.data(), spec.size()), &error);
  if (!layout)
    return {};
  return LayoutAttr::get(context, *layout);
}
