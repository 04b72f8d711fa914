//===- TfgDialect.h - tfg dialect -------------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_TFG_TFGDIALECT_H
#define VAI_DIALECT_TFG_TFGDIALECT_H

#include "mlir/IR/Dialect.h"

#include "vai/Dialect/Tfg/TfgDialect.h.inc"

#endif // VAI_DIALECT_TFG_TFGDIALECT_H
