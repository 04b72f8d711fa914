//===- Passes.h - tfg passes ------------------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_TFG_PASSES_H
#define VAI_DIALECT_TFG_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "vai/Dialect/Tfg/TfgOps.h"

namespace vai::tfg {

#define GEN_PASS_DECL
#include "vai/Dialect/Tfg/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "vai/Dialect/Tfg/Passes.h.inc"

} // namespace vai::tfg

#endif // VAI_DIALECT_TFG_PASSES_H
