//===- Capabilities.h - What a target's DPU can execute ---------*- C++ -*-===//

#ifndef VAI_DIALECT_DPU_CAPABILITIES_H
#define VAI_DIALECT_DPU_CAPABILITIES_H

#include "mlir/IR/Operation.h"
#include "vai/Target/Target.h"
#include <optional>
#include <string>

namespace vai::dpu {

/// Where an op of the quant level goes.
enum class Placement { User, Dpu, Cpu, FollowInput, Constant };

/// Decides the placement of a quant-level op on `target`. For `Cpu`
/// placements of compute ops, `reason` says what the DPU lacks, e.g.
/// "kernel 17 > 16 on DPUCZDX8G_ISA1_B4096".
Placement placeOp(mlir::Operation *op, const Target &target,
                  std::string &reason);

} // namespace vai::dpu

#endif // VAI_DIALECT_DPU_CAPABILITIES_H
