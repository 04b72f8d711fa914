//===- Passes.h - quant passes ----------------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_QUANT_PASSES_H
#define VAI_DIALECT_QUANT_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"

namespace vai::quant {

/// The attribute `quant-calibrate` leaves on each op and argument.
constexpr llvm::StringLiteral kFixPointAttr = "quant.fix_point";

#define GEN_PASS_DECL
#include "vai/Dialect/Quant/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "vai/Dialect/Quant/Passes.h.inc"

} // namespace vai::quant

#endif // VAI_DIALECT_QUANT_PASSES_H
