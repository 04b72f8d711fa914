//===- QuantDialect.cpp - quant dialect and the fix type ------------------===//

#include "vai/Dialect/Quant/QuantDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace vai::quant;

#include "vai/Dialect/Quant/QuantDialect.cpp.inc"
#include "vai/Dialect/Quant/QuantEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "vai/Dialect/Quant/QuantAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "vai/Dialect/Quant/QuantTypes.cpp.inc"

void QuantDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "vai/Dialect/Quant/QuantOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "vai/Dialect/Quant/QuantAttrs.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "vai/Dialect/Quant/QuantTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// FixType: !quant.fix<s8, 4[, round_mode]>
//===----------------------------------------------------------------------===//

Type FixType::parse(AsmParser &parser) {
  StringRef kind;
  int fixPoint = 0;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeyword(&kind))
    return {};
  unsigned bitWidth = 0;
  if (kind.size() < 2 || (kind[0] != 's' && kind[0] != 'u') ||
      kind.drop_front().getAsInteger(10, bitWidth)) {
    parser.emitError(loc, "expected 's<bits>' or 'u<bits>', got '")
        << kind << "'";
    return {};
  }
  if (parser.parseComma() || parser.parseInteger(fixPoint))
    return {};
  RoundMode mode = RoundMode::dpu_round;
  if (succeeded(parser.parseOptionalComma())) {
    StringRef name;
    SMLoc modeLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&name))
      return {};
    std::optional<RoundMode> parsed = symbolizeRoundMode(name);
    if (!parsed) {
      parser.emitError(modeLoc, "unknown round mode '") << name << "'";
      return {};
    }
    mode = *parsed;
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<FixType>(parser.getContext(), bitWidth, fixPoint,
                                    kind[0] == 's', mode);
}

void FixType::print(AsmPrinter &printer) const {
  printer << '<' << (getIsSigned() ? 's' : 'u') << getBitWidth() << ", "
          << getFixPoint();
  if (getRoundMode() != RoundMode::dpu_round)
    printer << ", " << stringifyRoundMode(getRoundMode());
  printer << '>';
}

LogicalResult FixType::verify(function_ref<InFlightDiagnostic()> emitError,
                              unsigned bitWidth, int fixPoint, bool,
                              RoundMode) {
  if (bitWidth < 2 || bitWidth > 32)
    return emitError() << "fixed-point bit width must be in [2, 32], got "
                       << bitWidth;
  // Positions beyond +-64 cannot be represented by the shifts of any DPU.
  if (fixPoint < -64 || fixPoint > 64)
    return emitError() << "fix position must be in [-64, 64], got " << fixPoint;
  return success();
}

double FixType::getStep() const { return std::ldexp(1.0, -getFixPoint()); }

int64_t FixType::getMinInt() const {
  return getIsSigned() ? -(int64_t(1) << (getBitWidth() - 1)) : 0;
}

int64_t FixType::getMaxInt() const {
  return getIsSigned() ? (int64_t(1) << (getBitWidth() - 1)) - 1
                       : (int64_t(1) << getBitWidth()) - 1;
}
