//===- QuantDialect.h - quant dialect ---------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_QUANT_QUANTDIALECT_H
#define VAI_DIALECT_QUANT_QUANTDIALECT_H

#include "mlir/IR/Dialect.h"

#include "vai/Dialect/Quant/QuantDialect.h.inc"

#endif // VAI_DIALECT_QUANT_QUANTDIALECT_H
