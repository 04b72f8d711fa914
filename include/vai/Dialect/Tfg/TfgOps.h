//===- TfgOps.h - tfg operations --------------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_TFG_TFGOPS_H
#define VAI_DIALECT_TFG_TFGOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "vai/Dialect/Tfg/TfgDialect.h"

#include "vai/Dialect/Tfg/TfgEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "vai/Dialect/Tfg/TfgAttrs.h.inc"

#define GET_OP_CLASSES
#include "vai/Dialect/Tfg/TfgOps.h.inc"

#endif // VAI_DIALECT_TFG_TFGOPS_H
