//===- Passes.h - dpu passes ------------------------------------*- C++ -*-===//

#ifndef VAI_DIALECT_DPU_PASSES_H
#define VAI_DIALECT_DPU_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "vai/Dialect/Dpu/DpuOps.h"

namespace vai::dpu {

#define GEN_PASS_DECL
#include "vai/Dialect/Dpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "vai/Dialect/Dpu/Passes.h.inc"

} // namespace vai::dpu

#endif // VAI_DIALECT_DPU_PASSES_H
