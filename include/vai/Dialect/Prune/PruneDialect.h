//===- PruneDialect.h - prune dialect ---------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_PRUNE_PRUNEDIALECT_H
#define VAI_DIALECT_PRUNE_PRUNEDIALECT_H

#include "mlir/IR/Dialect.h"

#include "vai/Dialect/Prune/PruneDialect.h.inc"

#endif // VAI_DIALECT_PRUNE_PRUNEDIALECT_H
