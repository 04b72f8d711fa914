//===- DpuOps.h - dpu operations --------------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_DPU_DPUOPS_H
#define VAI_DIALECT_DPU_DPUOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "vai/Dialect/Dpu/DpuDialect.h"
#include "vai/Dialect/Quant/QuantOps.h"

#include "vai/Dialect/Dpu/DpuEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "vai/Dialect/Dpu/DpuAttrs.h.inc"

#define GET_OP_CLASSES
#include "vai/Dialect/Dpu/DpuOps.h.inc"

#endif // VAI_DIALECT_DPU_DPUOPS_H
