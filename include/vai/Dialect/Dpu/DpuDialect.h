//===- DpuDialect.h - dpu dialect -------------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_DPU_DPUDIALECT_H
#define VAI_DIALECT_DPU_DPUDIALECT_H

#include "mlir/IR/Dialect.h"
#include "vai/Dialect/Quant/QuantDialect.h"

#include "vai/Dialect/Dpu/DpuDialect.h.inc"

#endif // VAI_DIALECT_DPU_DPUDIALECT_H
