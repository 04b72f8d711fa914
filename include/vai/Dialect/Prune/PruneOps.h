//===- PruneOps.h - prune operations ----------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_PRUNE_PRUNEOPS_H
#define VAI_DIALECT_PRUNE_PRUNEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "vai/Dialect/Prune/PruneDialect.h"

#define GET_OP_CLASSES
#include "vai/Dialect/Prune/PruneOps.h.inc"

#endif // VAI_DIALECT_PRUNE_PRUNEOPS_H
